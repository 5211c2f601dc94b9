using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Store;
using ImActors.Grains.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Push;

/// <summary>
/// The offline push's settings and sender, one per silo: whether a user has a device connected, and the POST of a
/// notice with the webhooks' signing, retries and dead letters (<c>im:push:dead</c>, counters <c>imactors.push.*</c>).
/// </summary>
public sealed class OfflinePush : IDisposable
{
    public static readonly RedisKey DeadLetterKey = "im:push:dead";

    private readonly WebhookSender _sender;
    private readonly GrainRefs _grains;

    public OfflinePush(IOptions<PushOptions> options, StoreConnection store, GrainRefs grains, TimeProvider time, ILogger<WebhookSender> logger)
    {
        Options = options.Value;
        _grains = grains;
        _sender = new WebhookSender(Options.AsDelivery(), new DeadLetters(store, DeadLetterKey, Options.MaxDeadLetters),
            new WebhookMetrics("push"), time, logger);
    }

    public PushOptions Options { get; }

    /// <summary>
    /// True when no device of the user is connected. A user in the offline grace counts as without a device: the grace
    /// keeps presence from flapping, but a message arriving then reaches no one until they reconnect.
    /// </summary>
    public async Task<bool> HasNoDeviceAsync(string user) =>
        (await _grains.Get<IUserPresence>(user).GetPresence()).Devices.Length == 0;

    /// <summary>Posts the notice; returns once the endpoint took it or it was dead-lettered.</summary>
    public Task PostAsync(ImEvent notice) => _sender.DeliverAsync(notice);

    public void Dispose() => _sender.Dispose();
}
