using ImActors.Grains.Edges;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Users;

/// <summary>
/// One user. A 1:1 send is handled by the recipient's grain: its turns are serial, so the recipient's
/// devices get pushes in the order the inbox was appended. The sender's copy is pushed by the sender's
/// grain through a one-way call, so two users sending to each other can never deadlock.
/// </summary>
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state,
    InboxLog inbox,
    IOptions<InboxOptions> inboxOptions,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private static readonly TimeSpan MaintenancePeriod = TimeSpan.FromMinutes(10);
    private EdgeEndpoints _edges = null!;
    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _edges = new EdgeEndpoints(GrainFactory, time);
        // Spread the first run so a burst of activations does not trim all at once.
        var due = TimeSpan.FromSeconds(Random.Shared.Next(30, 120));
        this.RegisterGrainTimer(MaintainAsync, new GrainTimerCreationOptions(due, MaintenancePeriod));
        return Task.CompletedTask;
    }

    public async Task<ConnectResult> Connect(SessionInfo session)
    {
        if (state.State.Sessions.TryGetValue(session.Device, out var previous) && !previous.IsSameConnection(session))
        {
            await CloseAsync(previous, Protocol.Replaced, "the device connected again elsewhere");
        }

        _edges.Forget(session.EdgeId);
        state.State.Sessions[session.Device] = session;
        await state.WriteStateAsync();
        return new ConnectResult(await inbox.GetSeqAsync(UserId));
    }

    public async Task Disconnect(SessionInfo session)
    {
        if (state.State.Sessions.TryGetValue(session.Device, out var current) && current.IsSameConnection(session))
        {
            state.State.Sessions.Remove(session.Device);
            await state.WriteStateAsync();
        }
    }

    public async Task<SendResult> Send(SendRequest request)
    {
        if (request.To != UserId)
        {
            throw new ArgumentException($"message for {request.To} sent to the grain of {UserId}");
        }

        var messageId = Guid.CreateVersion7().ToString("N");
        var result = await inbox.AppendDirectAsync(request, messageId, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (result.Duplicate)
        {
            return result;
        }

        try
        {
            var copy = new StoredMessage(
                result.MessageId, result.RecipientSeq, request.From, request.To, result.Timestamp, request.ContentType, request.Body);
            if (request.From == UserId)
            {
                await PushAsync(copy, exceptDevice: request.FromDevice);
            }
            else
            {
                await PushAsync(copy, exceptDevice: null);
                await GrainFactory.GetGrain<IUserGrain>(request.From).PushOwnCopy(copy with { Seq = result.Seq }, request.FromDevice);
            }
        }
        catch (Exception e)
        {
            // The message is stored and will be ACKed; devices that missed the push get it by syncing.
            logger.LogWarning(e, "Push of {MessageId} to {UserId} failed", result.MessageId, UserId);
        }

        return result;
    }

    public Task PushOwnCopy(StoredMessage copy, string exceptDevice) => PushAsync(copy, exceptDevice);

    public Task<SyncResult> Sync(long after, int limit, int maxBytes) => inbox.ReadAsync(UserId, after, limit, maxBytes);

    public Task MarkDelivered(string device, long upTo)
    {
        // Kept in memory and persisted with the next session change: losing a few of these to a crash only
        // makes a device re-fetch messages it already has, which its seq cursor discards.
        if (!state.State.Delivered.TryGetValue(device, out var current) || upTo > current)
        {
            state.State.Delivered[device] = upTo;
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessions()
    {
        await DropDeadSessionsAsync();
        return state.State.Sessions.Values.ToList();
    }

    public Task<long> GetInboxSeq() => inbox.GetSeqAsync(UserId);

    public async Task Kick(string? device, string reason)
    {
        foreach (var session in state.State.Sessions.Values.Where(s => device is null || s.Device == device).ToList())
        {
            await CloseAsync(session, Protocol.Kicked, reason);
            state.State.Sessions.Remove(session.Device);
        }

        await state.WriteStateAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.Delivered.Count > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>One one-way call per edge that holds devices of this user, whatever the number of devices there.</summary>
    private async Task PushAsync(StoredMessage message, string? exceptDevice)
    {
        var targets = new Dictionary<string, (IEdgeDelivery Endpoint, List<long> Connections)>();
        List<string>? dead = null;
        foreach (var session in state.State.Sessions.Values)
        {
            if (session.Device == exceptDevice)
            {
                continue;
            }

            var endpoint = await _edges.ResolveAsync(session);
            if (endpoint is null)
            {
                (dead ??= []).Add(session.Device);
                continue;
            }

            if (!targets.TryGetValue(session.EdgeId, out var target))
            {
                target = (endpoint, []);
                targets[session.EdgeId] = target;
            }

            target.Connections.Add(session.ConnectionId);
        }

        foreach (var (endpoint, connections) in targets.Values)
        {
            await endpoint.Deliver(message, connections.ToArray());
        }

        if (dead is not null)
        {
            await RemoveSessionsAsync(dead);
        }
    }

    private async Task DropDeadSessionsAsync()
    {
        List<string>? dead = null;
        foreach (var session in state.State.Sessions.Values)
        {
            if (await _edges.ResolveAsync(session) is null)
            {
                (dead ??= []).Add(session.Device);
            }
        }

        if (dead is not null)
        {
            await RemoveSessionsAsync(dead);
        }
    }

    private async Task RemoveSessionsAsync(List<string> devices)
    {
        // Sessions whose edge vanished (crashed, or restarted as a new incarnation) expire with the edge's lease.
        foreach (var device in devices)
        {
            state.State.Sessions.Remove(device);
        }

        logger.LogInformation("Dropped {Count} sessions of {UserId} held by edges that are gone", devices.Count, UserId);
        await state.WriteStateAsync();
    }

    private async Task CloseAsync(SessionInfo session, int code, string reason)
    {
        if (await _edges.ResolveAsync(session) is { } endpoint)
        {
            await endpoint.Close(session.ConnectionId, code, reason);
        }
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        await DropDeadSessionsAsync();
        var removed = await inbox.TrimOlderThanAsync(UserId, time.GetUtcNow() - inboxOptions.Value.MaxAge);
        if (removed > 0)
        {
            logger.LogInformation("Trimmed {Count} expired messages from the inbox of {UserId}", removed, UserId);
        }
    }

    /// <summary>Closing codes, equal to the wire protocol's (the grains do not reference the protocol library).</summary>
    private static class Protocol
    {
        public const int Replaced = 409;
        public const int Kicked = 410;
    }
}
