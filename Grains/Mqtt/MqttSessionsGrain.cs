using ImActors.Grains.Interfaces.Mqtt;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Store;
using Orleans.Concurrency;
using StackExchange.Redis;

namespace ImActors.Grains.Mqtt;

/// <summary>
/// The MQTT cursors of one user's devices: one hash, <c>im:{user}:mqtt</c>, in the user's hash slot, a field per device.
/// Stateless: every call is one store step, so any activation may serve it and none holds memory between connections.
/// </summary>
[StatelessWorker]
internal sealed class MqttSessionsGrain(StoreConnection store) : Grain, IMqttSessions
{
    // Keeps the larger of the saved and the new cursor in one step: two saves of one device may arrive out of order.
    private const string SaveMax = """
        local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
        if tonumber(ARGV[2]) > old then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 0
        """;

    private RedisKey Key => $"im:{{{this.GetPrimaryKeyString()}}}:mqtt";

    public async Task<long> Cursor(string device)
    {
        var value = await store.Run(db => db.HashGetAsync(Key, Ids.Require(device, "device")));
        return value.TryParse(out long cursor) ? cursor : -1;
    }

    public Task Save(string device, long upTo) => store.Eval(SaveMax, [Key], [Ids.Require(device, "device"), upTo]);

    public Task Clear(string device) => store.Run(db => db.HashDeleteAsync(Key, Ids.Require(device, "device")));
}
