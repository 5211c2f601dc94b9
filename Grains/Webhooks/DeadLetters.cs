using System.Text.Json;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Webhooks;

/// <summary>One event a webhook URL did not take within its attempts, as kept for an operator.</summary>
public sealed record DeadLetter(string Url, ImEvent Event, int Attempts, string Error, long At);

/// <summary>
/// Events a webhook URL did not take: the list <c>im:webhooks:dead</c> (the offline push's: <c>im:push:dead</c>), newest
/// last, capped at <see cref="WebhookOptions.MaxDeadLetters"/>. An operator reads it with <c>LRANGE im:webhooks:dead 0 -1</c>
/// (operations.md), one JSON object per entry, and can post them again by hand.
/// </summary>
public sealed class DeadLetters(StoreConnection store, RedisKey key, int max)
{
    public static readonly RedisKey Key = "im:webhooks:dead";

    public DeadLetters(StoreConnection store, IOptions<WebhookOptions> options)
        : this(store, Key, options.Value.MaxDeadLetters)
    {
    }

    public Task AddAsync(DeadLetter letter) =>
        store.Eval(Keep, [key], [JsonSerializer.Serialize(letter, EventJson.Options), max]);

    public async Task<IReadOnlyList<DeadLetter>> ReadAsync() =>
        (await store.Run(db => db.ListRangeAsync(key)))
        .Select(e => JsonSerializer.Deserialize<DeadLetter>((string)e!, EventJson.Options)!)
        .ToList();

    // KEYS: 1 the list. ARGV: 1 the letter, 2 how many to keep.
    private const string Keep = """
        redis.call('RPUSH', KEYS[1], ARGV[1])
        redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
        return 0
        """;
}
