using ImActors.Grains.Conversations;
using ImActors.Grains.Edges;
using ImActors.Grains.Groups;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Groups;
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
    SessionStore sessions,
    InboxLog inbox,
    ConversationStore conversations,
    EdgeEndpoints edges,
    GrainRefs grains,
    IOptions<InboxOptions> inboxOptions,
    IOptions<ConversationOptions> conversationOptions,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IUserSessions, IUserPeer, IUserMaintenance, IIncomingGrainCallFilter
{
    private const long MaintenancePeriodMs = 10 * 60 * 1000;

    // Spread the first run so a burst of activations does not trim all at once.
    private long _maintainAt = Environment.TickCount64 + Random.Shared.Next(30_000, 120_000);

    // The user's connected devices, as stored (im:{user}:sessions): loaded on activation, changed here only.
    private Dictionary<string, SessionInfo> _sessions = null!;

    private string UserId => this.GetPrimaryKeyString();

    /// <summary>
    /// Runs every call. Maintenance is due at most every 10 minutes and is asked for by the first call after
    /// that, as a one-way call to itself: a turn of its own, queued behind this one. A grain timer per
    /// activation did the same at ~500 bytes per online user; an activation that gets no call is
    /// collected when idle without having needed maintenance in between.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var now = Environment.TickCount64;
        if (now >= _maintainAt)
        {
            _maintainAt = now + MaintenancePeriodMs;
            _ = this.AsReference<IUserMaintenance>().Maintain();
        }

        return context.Invoke();
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _sessions = await sessions.LoadAsync(UserId);

    public async Task<ConnectResult> Connect(SessionInfo session)
    {
        if (_sessions.TryGetValue(session.Device, out var previous) && !previous.IsSameConnection(session))
        {
            if (previous.ConnectedAt > session.ConnectedAt)
            {
                // A connect retried or delayed past the device's next connection must not replace that newer one
                // (and close it with "replaced", which a client takes as final).
                throw new RefusedException(Refusal.Superseded, "a newer connection of this device is already registered");
            }

            await CloseAsync(previous, Protocol.Replaced, "the device connected again elsewhere");
        }

        // One store step: a reconnect storm is thousands of these per second.
        var (seq, groups) = await sessions.ConnectAsync(UserId, session);
        _sessions[session.Device] = session;
        return new ConnectResult(seq, groups);
    }

    public async Task Disconnect(SessionInfo session)
    {
        if (_sessions.TryGetValue(session.Device, out var current) && current.IsSameConnection(session))
        {
            _sessions.Remove(session.Device);
            await sessions.RemoveAsync(UserId, [current]);
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
                await grains.Get<IUserPeer>(request.From).PushOwnCopy(copy with { Seq = result.Seq }, request.FromDevice);
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

    public async Task<IReadOnlyList<SessionInfo>> GetSessions()
    {
        await DropDeadSessionsAsync();
        return _sessions.Values.ToList();
    }

    public Task<long> GetInboxSeq() => inbox.GetSeqAsync(UserId);

    public async Task Kick(string? device, string reason)
    {
        var kicked = _sessions.Values.Where(s => device is null || s.Device == device).ToList();
        foreach (var session in kicked)
        {
            await CloseAsync(session, Protocol.Kicked, reason);
            _sessions.Remove(session.Device);
        }

        await sessions.RemoveAsync(UserId, kicked);
    }

    public Task<IReadOnlyList<Conversation>> GetConversations(string? after, int limit) => conversations.ListAsync(UserId, after, limit);

    public async Task<ReadState> MarkRead(string? peer, string? group, long seq, string exceptDevice)
    {
        if ((peer is null) == (group is null) || seq < 1)
        {
            throw new RefusedException(Refusal.InvalidRequest, "name exactly one of peer and group, and a seq of 1 or more");
        }

        ReadState read;
        if (peer is not null)
        {
            var (message, _) = await inbox.ReadAtAsync(UserId, seq) ?? throw NotInConversation(peer, seq);
            if ((message.From == UserId ? message.To : message.From) != peer)
            {
                throw NotInConversation(peer, seq);
            }

            read = await conversations.MarkDirectReadAsync(UserId, peer, seq);
            if (peer != UserId && read.ReadSeq == seq)
            {
                // In this inbox's seqs: the peer's grain turns it into the seq of its own copy.
                await grains.Get<IUserPeer>(peer).PeerRead(UserId, seq);
            }
        }
        else
        {
            read = await conversations.MarkGroupReadAsync(UserId, group!, seq)
                   ?? throw new RefusedException(Refusal.NotMember, $"{UserId} is not a member of group {group}");
            await grains.Get<IGroupMemberFeed>(group!).MemberRead(UserId, read.ReadSeq);
        }

        await NotifyAsync(new Notice(NoticeKind.ReadState, UserId, peer, group, read.ReadSeq, read.Unread), exceptDevice);
        return read;
    }

    public async Task PeerRead(string reader, long readerSeq)
    {
        var upTo = await conversations.MarkPeerReadAsync(UserId, reader, readerSeq);
        if (upTo > 0)
        {
            await NotifyAsync(new Notice(NoticeKind.Receipt, reader, reader, null, upTo, 0), exceptDevice: null);
        }
    }

    public Task Typing(string from) =>
        from == UserId ? Task.CompletedTask : NotifyAsync(new Notice(NoticeKind.Typing, from, from, null, 0, 0), exceptDevice: null);

    public async Task<long> Recall(string peer, long seq, string exceptDevice)
    {
        var own = await inbox.ReadAtAsync(UserId, seq) ?? throw new RefusedException(Refusal.NotFound, $"no message at seq {seq}");
        var message = own.Message;
        if (SystemContentTypes.IsReserved(message.ContentType))
        {
            throw new RefusedException(Refusal.NotFound, $"seq {seq} is not a message that can be recalled");
        }

        if (message.From != UserId && message.To == UserId && message.From == peer)
        {
            throw new RefusedException(Refusal.Forbidden, "only the sender recalls a 1:1 message");
        }

        if (message.From != UserId || message.To != peer)
        {
            throw NotInConversation(peer, seq);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = conversationOptions.Value.RecallWindow;
        if (now - message.Timestamp > window.TotalMilliseconds)
        {
            throw new RefusedException(Refusal.RecallWindowPassed, $"messages can be recalled for {window.TotalSeconds:0} s after sending");
        }

        (StoredMessage, byte[])? peerCopy = null;
        if (message.To != UserId && await inbox.ReadAtAsync(message.To, message.PeerSeq) is { } theirs && theirs.Message.Id == message.Id)
        {
            peerCopy = theirs;
        }

        var (ownEvent, peerEvent) = await inbox.RecallDirectAsync(own, peerCopy, now)
                                    ?? throw new RefusedException(Refusal.NotFound, $"the message at seq {seq} was already recalled");
        await PushAsync(ownEvent, exceptDevice);
        if (peerEvent is not null)
        {
            await grains.Get<IUserPeer>(message.To).PushOwnCopy(peerEvent, "");
        }

        return ownEvent.Seq;
    }

    /// <summary>One one-way call per edge that holds devices of this user, whatever the number of devices there.</summary>
    private async Task PushAsync(StoredMessage message, string? exceptDevice)
    {
        foreach (var (endpoint, connections) in await TargetsAsync(exceptDevice))
        {
            await endpoint.Deliver(message, connections);
        }
    }

    private async Task NotifyAsync(Notice notice, string? exceptDevice)
    {
        foreach (var (endpoint, connections) in await TargetsAsync(exceptDevice))
        {
            await endpoint.Notify(notice, connections);
        }
    }

    /// <summary>The user's live connections grouped by edge; sessions on edges that are gone are dropped on the way.</summary>
    private async Task<List<(IEdgeDelivery Endpoint, long[] Connections)>> TargetsAsync(string? exceptDevice)
    {
        var targets = new Dictionary<string, (IEdgeDelivery Endpoint, List<long> Connections)>();
        List<string>? dead = null;
        foreach (var session in _sessions.Values)
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
            await RemoveSessionsAsync(dead);
        }

        return targets.Values.Select(t => (t.Endpoint, t.Connections.ToArray())).ToList();
    }

    private async Task DropDeadSessionsAsync()
    {
        List<string>? dead = null;
        foreach (var session in _sessions.Values)
        {
            if (await edges.ResolveAsync(session) is null)
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
        var dead = devices.Select(d => _sessions[d]).ToList();
        foreach (var device in devices)
        {
            _sessions.Remove(device);
        }

        logger.LogInformation("Dropped {Count} sessions of {UserId} held by edges that are gone", devices.Count, UserId);
        await sessions.RemoveAsync(UserId, dead);
    }

    private RefusedException NotInConversation(string peer, long seq) =>
        new(Refusal.NotFound, $"seq {seq} of your inbox is not a message of your conversation with {peer}");

    private async Task CloseAsync(SessionInfo session, int code, string reason)
    {
        if (await edges.ResolveAsync(session) is { } endpoint)
        {
            await endpoint.Close(session.ConnectionId, code, reason);
        }
    }

    public async Task Maintain()
    {
        try
        {
            await DropDeadSessionsAsync();
            var removed = await inbox.TrimOlderThanAsync(UserId, time.GetUtcNow() - inboxOptions.Value.MaxAge);
            if (removed > 0)
            {
                logger.LogInformation("Trimmed {Count} expired messages from the inbox of {UserId}", removed, UserId);
            }
        }
        catch (Exception e)
        {
            // The next period tries again.
            logger.LogWarning(e, "Maintenance of {UserId} failed", UserId);
        }
    }

    /// <summary>Closing codes, equal to the wire protocol's (the grains do not reference the protocol library).</summary>
    private static class Protocol
    {
        public const int Replaced = 409;
        public const int Kicked = 410;
    }
}
