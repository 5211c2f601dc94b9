using ImActors.Grains.Conversations;
using ImActors.Grains.Edges;
using ImActors.Grains.Groups;
using ImActors.Grains.Inbox;
using ImActors.Grains.Presence;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Users;

/// <summary>
/// One user. A 1:1 send is handled by the recipient's grain: its turns are serial, so the recipient's
/// devices get pushes in the order the inbox was appended. The sender's copy is pushed by the sender's
/// grain through a one-way call, so two users sending to each other can never deadlock.
/// Where the user is connected, and the pushes to their devices, are <see cref="UserDevices"/>; who may recall or
/// mark what is <see cref="DirectRules"/>; the inbox and conversations are stores of their own; presence and its
/// watchers are <see cref="PresenceTracker"/>, which follows the sessions; whom the user has blocked is <see cref="BlockList"/>.
/// </summary>
public sealed class UserGrain(
    SessionStore sessions,
    BanStore bans,
    BlockStore blockStore,
    TokenStore tokens,
    DevicePolicy devicePolicy,
    InboxLog inbox,
    ConversationStore conversations,
    EdgeEndpoints edges,
    PresenceTrackers presence,
    GrainRefs grains,
    IOptions<InboxOptions> inboxOptions,
    IOptions<ConversationOptions> conversationOptions,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IUserSessions, IUserPeer, IUserMaintenance, IUserPresence, IPresenceWatch, IUserSessionCheck,
    IIncomingGrainCallFilter
{
    private const long MaintenancePeriodMs = 10 * 60 * 1000;

    // Spread the first run so a burst of activations does not trim all at once.
    private long _maintainAt = Environment.TickCount64 + Random.Shared.Next(30_000, 120_000);

    private UserDevices _devices = null!;
    private PresenceTracker _presence = null!;
    private BlockList _blocks = null!;

    // Whether this activation's key passes the id rule: checked on the first call, not on every one.
    private bool? _validId;

    private string UserId => this.GetPrimaryKeyString();

    /// <summary>
    /// Runs every call. Maintenance is due at most every 10 minutes and is asked for by the first call after
    /// that, as a one-way call to itself: a turn of its own, queued behind this one. A grain timer per
    /// activation did the same at ~500 bytes per online user; an activation that gets no call is
    /// collected when idle without having needed maintenance in between.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        // A service may call any grain id; one a client could not use (a brace would move the user's keys out of their
        // hash slot) is refused the same way the edge refuses it.
        if (!(_validId ??= Ids.IsValid(UserId)))
        {
            Ids.Require(UserId, "the user id");
        }

        var now = Environment.TickCount64;
        if (now >= _maintainAt)
        {
            _maintainAt = now + MaintenancePeriodMs;
            _ = this.AsReference<IUserMaintenance>().Maintain();
        }

        return context.Invoke();
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Read from the store at its first use, not here: most activations (a login, a presence query) never need it.
        _blocks = new BlockList(UserId, blockStore);
        _devices = await UserDevices.LoadAsync(UserId, sessions, edges, logger);
        _presence = await presence.LoadAsync(this, UserId, _devices.Sessions, logger);
        _devices.Changed = () => _presence.SessionsChangedAsync(_devices.Sessions);
    }

    // Null when the activation failed before presence was loaded.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _presence?.DeactivatingAsync() ?? Task.CompletedTask;

    public Task<UserPresence> GetPresence() => Task.FromResult(_presence.Current);

    public Task<UserPresence> Watch(string edgeId, long generation) => _presence.WatchAsync(edgeId, generation);

    public Task Unwatch(string edgeId, long generation) => _presence.UnwatchAsync(edgeId, generation);

    public Task CheckSessions(string edgeId, DateTimeOffset foundAt)
    {
        edges.Forget(edgeId, foundAt);
        return _devices.DropDeadAsync();
    }

    public Task CheckGrace() => _presence.GraceLapsedAsync();

    public async Task<ConnectResult> Connect(SessionInfo session)
    {
        // Refused for a banned user by the store step itself; the policy's kicks come once the newcomer is registered.
        var (seq, groups) = await _devices.ConnectAsync(session);
        await _devices.EvictAsync(devicePolicy.Evictions(_devices.Current, session));
        return new ConnectResult(seq, groups);
    }

    public Task Disconnect(SessionInfo session) => _devices.DisconnectAsync(session);

    public async Task<SendResult> Send(SendRequest request)
    {
        if (request.To != UserId)
        {
            throw new ArgumentException($"message for {request.To} sent to the grain of {UserId}");
        }

        Ids.Require(request.From, "from");
        if (request.FromDevice.Length > 0)
        {
            // Empty for a business service: it has no device to spare from the push.
            Ids.Require(request.FromDevice, "the sending device");
        }

        Ids.Require(request.ClientMessageId, "cmid");
        if (await _blocks.BlocksAsync(request.From))
        {
            // Says what happened and no more: a refusal of a send to a valid id can only mean a block (decision 112).
            throw new RefusedException(Refusal.Blocked, $"{UserId} does not accept messages from you");
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
                await _devices.PushAsync(copy, exceptDevice: request.FromDevice);
            }
            else
            {
                await _devices.PushAsync(copy, exceptDevice: null);
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

    public async Task<SendResult> SendFromSystem(SystemSendRequest request)
    {
        request = DirectRules.RequireSystemSend(request);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await inbox.AppendFromSystemAsync(UserId, request, Guid.CreateVersion7().ToString("N"), now);
        if (!result.Duplicate)
        {
            // No sender's copy and no sending device: every device of the user gets the push.
            await _devices.PushStoredAsync(new StoredMessage(
                result.MessageId, result.Seq, Actor.System.Name, UserId, result.Timestamp, request.ContentType, request.Body), exceptDevice: null);
        }

        return result;
    }

    public Task PushOwnCopy(StoredMessage copy, string exceptDevice) => _devices.PushAsync(copy, exceptDevice);

    public Task<SyncResult> Sync(long after, int limit, int maxBytes) => inbox.ReadAsync(UserId, after, limit, maxBytes);

    public Task<IReadOnlyList<SessionInfo>> GetSessions() => _devices.LiveAsync();

    public Task<long> GetInboxSeq() => inbox.GetSeqAsync(UserId);

    public Task Kick(string? device, string reason) => _devices.KickAsync(device, reason);

    public async Task<BanInfo> Ban(string reason)
    {
        var ban = new BanInfo(BanRules.RequireReason(reason), time.GetUtcNow());
        var stored = await bans.BanAsync(UserId, ban);
        await EvictAllAsync(stored, _ => true, s => Eviction.Banned(s, ban.Reason));
        logger.LogInformation("Banned {UserId}: {Reason}", UserId, ban.Reason);
        return ban;
    }

    public Task<bool> Unban() => bans.UnbanAsync(UserId);

    public async Task<DateTimeOffset> Revoke(string? device)
    {
        if (device is not null)
        {
            Ids.Require(device, "device");
        }

        var (validAfter, stored) = await tokens.RevokeAsync(UserId, device);
        var reason = device is null ? "every token of this user was revoked" : $"the tokens of {device} were revoked";
        await EvictAllAsync(stored, s => device is null || s.Device == device, s => Eviction.Revoked(s, reason));
        logger.LogInformation("Revoked the tokens of {UserId}/{Device} issued before {ValidAfter}", UserId, device ?? "*", validAfter);
        return validAfter;
    }

    public Task<RefreshGrant> IssueRefreshToken(string device)
    {
        Ids.Require(device, "device");
        return tokens.IssueAsync(UserId, device);
    }

    public Task CheckToken(string device, long issuedAtMs) => tokens.CheckAsync(UserId, device, issuedAtMs);

    public async Task<RefreshGrant> Refresh(string token)
    {
        if (RefreshTokenFormat.Parse(token) is not { } presented || presented.User != UserId)
        {
            throw TokenStore.UnknownRefreshToken();
        }

        try
        {
            return await tokens.RotateAsync(presented);
        }
        catch (RefusedException e) when (e.Reason == Refusal.TokenRevoked)
        {
            // A used token came back: the device's chain was copied, and whichever copy is live now may be the thief's.
            var stored = await sessions.LoadAsync(UserId);
            await EvictAllAsync(stored.Values, s => s.Device == presented.Device, s => Eviction.Revoked(s, e.Message));
            logger.LogWarning("A used refresh token of {UserId}/{Device} came back: its family is revoked", UserId, presented.Device);
            throw;
        }
    }

    /// <summary>
    /// Closes the stored sessions that <paramref name="which"/> picks, and any this activation holds in memory: the stored
    /// ones include those another activation registered, this one's memory may hold some not yet removed.
    /// </summary>
    private Task EvictAllAsync(IEnumerable<SessionInfo> stored, Func<SessionInfo, bool> which, Func<SessionInfo, Eviction> eviction) =>
        _devices.EvictAsync(stored.Concat(_devices.Current).Where(which)
            .DistinctBy(s => (s.EdgeId, s.EdgeIncarnation, s.ConnectionId)).Select(eviction).ToList());

    public Task<BanInfo?> GetBan() => bans.GetAsync(UserId);

    public Task<bool> Block(string user) => _blocks.AddAsync(user);

    public Task<bool> Unblock(string user) => _blocks.RemoveAsync(user);

    public Task<IReadOnlyList<string>> GetBlocked() => _blocks.ListAsync();

    public Task<IReadOnlyList<Conversation>> GetConversations(string? after, int limit) => conversations.ListAsync(UserId, after, limit);

    public async Task<ReadState> MarkRead(ConversationRef conversation, long seq, string exceptDevice)
    {
        // Checked again: a caller can pass default(ConversationRef), which names neither.
        conversation = ConversationRef.Of(conversation.Peer, conversation.Group);
        var (peer, group) = (conversation.Peer, conversation.Group);
        if (seq < 1)
        {
            throw new RefusedException(Refusal.InvalidRequest, "seq must be 1 or more");
        }

        ReadState read;
        if (peer is not null)
        {
            var (message, _) = await inbox.ReadAtAsync(UserId, seq) ?? throw DirectRules.NotInConversation(peer, seq);
            DirectRules.RequireInConversation(UserId, peer, message);

            read = await conversations.MarkDirectReadAsync(UserId, peer, seq);
            // The system reads nothing and has no devices: it gets no receipt.
            if (peer != UserId && !conversation.IsSystem && read.ReadSeq == seq)
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

        await _devices.NotifyAsync(new Notice(NoticeKind.ReadState, UserId, peer, group, read.ReadSeq, read.Unread), exceptDevice);
        return read;
    }

    public async Task PeerRead(string reader, long readerSeq)
    {
        if (await _blocks.BlocksAsync(reader))
        {
            // One-way: nobody waits for an answer, so a blocked reader's receipt is dropped, not refused.
            return;
        }

        var upTo = await conversations.MarkPeerReadAsync(UserId, reader, readerSeq);
        if (upTo > 0)
        {
            await _devices.NotifyAsync(new Notice(NoticeKind.Receipt, reader, reader, null, upTo, 0), exceptDevice: null);
        }
    }

    public async Task Typing(string from)
    {
        // A notice is one-way and never answered: one from a blocked user is dropped, as a receipt is.
        if (from != UserId && !await _blocks.BlocksAsync(from))
        {
            await _devices.NotifyAsync(new Notice(NoticeKind.Typing, from, from, null, 0, 0), exceptDevice: null);
        }
    }

    public async Task<long> Recall(string peer, long seq, string exceptDevice)
    {
        DirectRules.RequireRecallablePeer(peer);
        var own = await inbox.ReadAtAsync(UserId, seq) ?? throw new RefusedException(Refusal.NotFound, $"no message at seq {seq}");
        var message = own.Message;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        DirectRules.RequireRecallRight(UserId, peer, message, now, conversationOptions.Value.RecallWindow);

        (StoredMessage, byte[])? peerCopy = null;
        if (message.To != UserId && await inbox.ReadAtAsync(message.To, message.PeerSeq) is { } theirs && theirs.Message.Id == message.Id)
        {
            peerCopy = theirs;
        }

        var (ownEvent, peerEvent) = await inbox.RecallDirectAsync(own, peerCopy, now)
                                    ?? throw new RefusedException(Refusal.NotFound, $"the message at seq {seq} was already recalled");
        await _devices.PushAsync(ownEvent, exceptDevice);
        if (peerEvent is not null)
        {
            await grains.Get<IUserPeer>(message.To).PushOwnCopy(peerEvent, "");
        }

        return ownEvent.Seq;
    }

    public async Task Maintain()
    {
        try
        {
            await _devices.DropDeadAsync();
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
}
