using ImActors.Grains.Edges;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Users;

/// <summary>
/// Where one user is connected: their devices' sessions, as stored (im:{user}:sessions) and in memory while the
/// grain is active, changed only through here; and the pushes to them, one one-way call per edge that holds devices
/// of the user, whatever the number of devices there. Sessions on edges that are gone are dropped on the way.
/// </summary>
internal sealed class UserDevices(string user, Dictionary<string, SessionInfo> sessions, SessionStore store, EdgeEndpoints edges, ILogger logger)
{
    /// <summary>The sessions now (read-only: they change only through here).</summary>
    public IReadOnlyCollection<SessionInfo> Sessions => sessions.Values;

    /// <summary>Awaited after every change of the sessions (presence follows them).</summary>
    public Func<Task>? Changed { get; set; }

    public static async Task<UserDevices> LoadAsync(string user, SessionStore store, EdgeEndpoints edges, ILogger logger) =>
        new(user, await store.LoadAsync(user), store, edges, logger);

    /// <summary>Registers a connection of a device, closing the device's previous one; returns the inbox seq and the user's groups.</summary>
    public async Task<(long InboxSeq, string[] Groups)> ConnectAsync(SessionInfo session)
    {
        if (sessions.TryGetValue(session.Device, out var previous) && !previous.IsSameConnection(session))
        {
            if (previous.ConnectedAt > session.ConnectedAt)
            {
                // A connect retried or delayed past the device's next connection must not replace that newer one
                // (and close it with "replaced", which a client takes as final).
                throw new RefusedException(Refusal.Superseded, "a newer connection of this device is already registered");
            }

            await CloseAsync(previous, ClosingCodes.Replaced, "the device connected again elsewhere");
        }

        // One store step: a reconnect storm is thousands of these per second.
        var result = await store.ConnectAsync(user, session);
        sessions[session.Device] = session;
        await OnChangedAsync();
        return result;
    }

    /// <summary>Removes the session if it is still this connection's (a newer one for the same device stays).</summary>
    public async Task DisconnectAsync(SessionInfo session)
    {
        if (sessions.TryGetValue(session.Device, out var current) && current.IsSameConnection(session))
        {
            sessions.Remove(session.Device);
            await store.RemoveAsync(user, [current]);
            await OnChangedAsync();
        }
    }

    /// <summary>Closes the device's connection, or every device's when <paramref name="device"/> is null.</summary>
    public async Task KickAsync(string? device, string reason)
    {
        var kicked = sessions.Values.Where(s => device is null || s.Device == device).ToList();
        foreach (var session in kicked)
        {
            await CloseAsync(session, ClosingCodes.Kicked, reason);
            sessions.Remove(session.Device);
        }

        await store.KickAsync(user, kicked, reason, DateTimeOffset.UtcNow);
        if (kicked.Count > 0)
        {
            await OnChangedAsync();
        }
    }

    /// <summary>The sessions as this activation knows them, unchecked: what the device policy counts.</summary>
    public IReadOnlyCollection<SessionInfo> Current => sessions.Values;

    /// <summary>Closes sessions for the device policy or a ban, each with its code and reason, and forgets them.</summary>
    public async Task EvictAsync(IReadOnlyCollection<Eviction> evictions)
    {
        foreach (var (session, code, reason) in evictions)
        {
            await CloseAsync(session, code, reason);
            if (sessions.TryGetValue(session.Device, out var current) && current.IsSameConnection(session))
            {
                sessions.Remove(session.Device);
            }
        }

        // A sign-out by the device policy is a kick and reported as one (user.kicked, in the removal's own step); a ban's
        // and a revocation's closes are reported by their own steps (user.banned) or not at all.
        foreach (var kicks in evictions.Where(e => e.Code == Eviction.KickedCode).GroupBy(e => e.Reason))
        {
            await store.KickAsync(user, kicks.Select(e => e.Session).ToList(), kicks.Key, DateTimeOffset.UtcNow);
        }

        await store.RemoveAsync(user, evictions.Where(e => e.Code != Eviction.KickedCode).Select(e => e.Session).ToList());
    }

    public async Task<IReadOnlyList<SessionInfo>> LiveAsync()
    {
        await DropDeadAsync();
        return sessions.Values.ToList();
    }

    public async Task PushAsync(StoredMessage message, string? exceptDevice)
    {
        foreach (var (endpoint, connections) in await TargetsAsync(exceptDevice))
        {
            await endpoint.Deliver(message, connections);
        }
    }

    /// <summary>
    /// Pushes a message already stored and about to be ACKed: a failure is logged, not thrown, since the message is in
    /// the log and a device that missed the push gets it by syncing.
    /// </summary>
    public async Task PushStoredAsync(StoredMessage message, string? exceptDevice)
    {
        try
        {
            await PushAsync(message, exceptDevice);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Push of {MessageId} to {UserId} failed", message.Id, user);
        }
    }

    public async Task NotifyAsync(Notice notice, string? exceptDevice)
    {
        foreach (var (endpoint, connections) in await TargetsAsync(exceptDevice))
        {
            await endpoint.Notify(notice, connections);
        }
    }

    /// <summary>Drops the sessions held by edges that are gone.</summary>
    public async Task DropDeadAsync()
    {
        List<string>? dead = null;
        foreach (var session in sessions.Values)
        {
            if (await edges.ResolveAsync(session) is null)
            {
                (dead ??= []).Add(session.Device);
            }
        }

        if (dead is not null)
        {
            await RemoveAsync(dead);
        }
    }

    /// <summary>The user's live connections grouped by edge.</summary>
    private async Task<List<(IEdgeDelivery Endpoint, long[] Connections)>> TargetsAsync(string? exceptDevice)
    {
        var targets = new Dictionary<string, (IEdgeDelivery Endpoint, List<long> Connections)>();
        List<string>? dead = null;
        foreach (var session in sessions.Values)
        {
            if (session.Device == exceptDevice)
            {
                continue;
            }

            var endpoint = await edges.ResolveAsync(session);
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

        if (dead is not null)
        {
            await RemoveAsync(dead);
        }

        return targets.Values.Select(t => (t.Endpoint, t.Connections.ToArray())).ToList();
    }

    private async Task RemoveAsync(List<string> devices)
    {
        // Sessions whose edge vanished (crashed, or restarted as a new incarnation) expire with the edge's lease.
        var dead = devices.Select(d => sessions[d]).ToList();
        foreach (var device in devices)
        {
            sessions.Remove(device);
        }

        logger.LogInformation("Dropped {Count} sessions of {UserId} held by edges that are gone", devices.Count, user);
        await store.RemoveAsync(user, dead);
        await OnChangedAsync();
    }

    private Task OnChangedAsync() => Changed?.Invoke() ?? Task.CompletedTask;

    private async Task CloseAsync(SessionInfo session, int code, string reason)
    {
        if (await edges.ResolveAsync(session) is { } endpoint)
        {
            await endpoint.Close(session.ConnectionId, code, reason);
        }
    }

    /// <summary>Closing codes, equal to the wire protocol's (the grains do not reference the protocol library).</summary>
    private static class ClosingCodes
    {
        public const int Replaced = 409;
        public const int Kicked = 410;
    }
}
