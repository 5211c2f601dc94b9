using ImActors.Grains.Conversations;
using ImActors.Grains.Edges;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Groups;

/// <summary>
/// One group. Its turns are serial, so timeline seqs and pushes follow one total order whoever sends.
/// A message is appended once to the timeline and pushed once per subscribed edge, which writes it to its
/// members' connections (read diffusion: members' inboxes get no copy; offline members read the timeline
/// from their cursor). Edges subscribe when their first member of the group logs in (decision 81).
/// Membership lives in the store one field per member and in memory while the grain is active.
/// </summary>
internal sealed class GroupGrain(
    GroupStore store,
    EdgeEndpoints edges,
    IOptions<ConversationOptions> options,
    TimeProvider time,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain, IGroupMemberFeed, IGroupEdges
{
    private static readonly TimeSpan EdgeCallTimeout = TimeSpan.FromSeconds(5);
    private const int MaxMemberPage = 1000;
    private readonly ConversationOptions _options = options.Value;
    private GroupSnapshot _group = null!;
    private EdgeSubscriptions _edges = null!;
    private string[]? _sortedMembers;

    private string GroupId => this.GetPrimaryKeyString();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _group = await store.LoadAsync(GroupId);
        _edges = new EdgeSubscriptions(GroupId, _group.Edges, store, edges);
    }

    public async Task<GroupInfo> Create(string actor, IReadOnlyList<string> members, bool open)
    {
        if (actor == IGroupGrain.SystemActor)
        {
            throw new RefusedException(Refusal.InvalidRequest, "a group is created by a user, its first owner");
        }

        if (_group.Exists)
        {
            // A retried create (same owner) succeeds without a second event; anyone else finds the id taken.
            if (!_group.Dissolved && _group.Owner == actor)
            {
                return Info();
            }

            throw new RefusedException(Refusal.GroupExists, $"group {GroupId} already exists");
        }

        var others = Distinct(members).Where(m => m != actor).ToList();
        CheckBatch(others);
        if (others.Count + 1 > _options.MaxGroupMembers)
        {
            throw new RefusedException(Refusal.GroupFull, $"a group holds at most {_options.MaxGroupMembers} members");
        }

        var changes = new List<MemberChange> { MemberChange.Add(actor, GroupRole.Owner) };
        changes.AddRange(others.Select(m => MemberChange.Add(m, GroupRole.Member)));
        var meta = new List<(string, string)> { ("owner", actor), ("open", open ? "1" : "0"), ("created", Now.ToString()) };
        var entry = GroupEvents.Entry(GroupId, GroupEvents.Created, actor, others, Now);
        var (seq, addedEdges) = await store.ChangeAsync(GroupId, entry, meta, changes);
        _group = _group with { Exists = true, Owner = actor, Open = open, Dissolved = false };
        await ApplyAddsAsync(changes, seq, addedEdges);
        await PushEventAsync(entry, seq);
        return Info() with { Seq = seq };
    }

    public async Task<GroupChange> AddMembers(string actor, IReadOnlyList<string> members)
    {
        EnsureLive();
        var role = RoleOf(actor) ?? throw NotMember(actor);
        if (role < GroupRole.Admin && !_group.Open)
        {
            throw new RefusedException(Refusal.Forbidden, "only the owner and admins add members");
        }

        return await AddAsync(actor, members, GroupEvents.Added);
    }

    public async Task<GroupChange> RemoveMembers(string actor, IReadOnlyList<string> members)
    {
        EnsureLive();
        var role = RoleOf(actor) ?? throw NotMember(actor);
        if (role < GroupRole.Admin)
        {
            throw new RefusedException(Refusal.Forbidden, "only the owner and admins remove members");
        }

        var targets = Distinct(members).Where(_group.Members.ContainsKey).ToList();
        CheckBatch(targets);
        foreach (var target in targets)
        {
            var targetRole = _group.Members[target].Role;
            if (targetRole == GroupRole.Owner)
            {
                throw new RefusedException(Refusal.Forbidden, "the owner cannot be removed; transfer ownership first");
            }

            if (targetRole == GroupRole.Admin && role != GroupRole.Owner && actor != IGroupGrain.SystemActor)
            {
                throw new RefusedException(Refusal.Forbidden, "only the owner removes admins");
            }
        }

        return await RemoveAsync(actor, targets, GroupEvents.Removed);
    }

    public async Task<GroupChange> Join(string user)
    {
        EnsureLive();
        if (!_group.Open)
        {
            throw new RefusedException(Refusal.Forbidden, "this group is not open: ask an admin to add you");
        }

        return await AddAsync(user, [user], GroupEvents.Joined);
    }

    public async Task<GroupChange> Leave(string user)
    {
        EnsureLive();
        var role = RoleOf(user) ?? throw NotMember(user);
        if (role == GroupRole.Owner)
        {
            throw new RefusedException(Refusal.Forbidden, "the owner cannot leave; transfer ownership or dissolve the group");
        }

        return await RemoveAsync(user, [user], GroupEvents.Left);
    }

    public async Task<GroupChange> SetRole(string actor, string member, GroupRole role)
    {
        EnsureLive();
        RequireOwner(actor, "only the owner appoints admins");
        if (role == GroupRole.Owner)
        {
            throw new RefusedException(Refusal.InvalidRequest, "ownership moves by transfer, not by role");
        }

        var record = _group.Members.TryGetValue(member, out var r) ? r : throw NotMember(member);
        if (record.Role == GroupRole.Owner)
        {
            throw new RefusedException(Refusal.Forbidden, "the owner's role changes only by transfer");
        }

        if (record.Role == role)
        {
            return new GroupChange(0, 0);
        }

        return await UpdateAsync(actor, [(member, record with { Role = role })], GroupEvents.Role, [], role.ToString().ToLowerInvariant());
    }

    public async Task<GroupChange> TransferOwnership(string actor, string newOwner)
    {
        EnsureLive();
        RequireOwner(actor, "only the owner transfers ownership");
        var record = _group.Members.TryGetValue(newOwner, out var r) ? r : throw NotMember(newOwner);
        if (record.Role == GroupRole.Owner)
        {
            return new GroupChange(0, 0);
        }

        var oldOwner = _group.Owner;
        var change = await UpdateAsync(actor,
            [(newOwner, record with { Role = GroupRole.Owner, Muted = false }), (oldOwner, _group.Members[oldOwner] with { Role = GroupRole.Admin })],
            GroupEvents.Owner, [("owner", newOwner)], "owner");
        _group = _group with { Owner = newOwner };
        return change;
    }

    public async Task<GroupChange> Mute(string actor, string member, bool muted)
    {
        EnsureLive();
        var role = RoleOf(actor) ?? throw NotMember(actor);
        var record = _group.Members.TryGetValue(member, out var r) ? r : throw NotMember(member);
        if (role < GroupRole.Admin || record.Role == GroupRole.Owner || (record.Role == GroupRole.Admin && role != GroupRole.Owner))
        {
            throw new RefusedException(Refusal.Forbidden, "owners mute admins and members; admins mute members");
        }

        if (record.Muted == muted)
        {
            return new GroupChange(0, 0);
        }

        return await UpdateAsync(actor, [(member, record with { Muted = muted })], muted ? GroupEvents.Muted : GroupEvents.Unmuted, []);
    }

    public async Task<GroupChange> Dissolve(string actor)
    {
        EnsureLive();
        RequireOwner(actor, "only the owner dissolves the group");
        var members = _group.Members.Keys.ToList();
        var entry = GroupEvents.Entry(GroupId, GroupEvents.Dissolved, actor, [], Now);
        var (seq, _) = await store.ChangeAsync(GroupId, entry, [("dissolved", "1")], []);
        await PushEventAsync(entry, seq, dissolved: true);
        foreach (var batch in members.Chunk(_options.MaxMembersPerChange))
        {
            await store.ChangeAsync(GroupId, null, [], batch.Select(MemberChange.Delete).ToList());
        }

        await _edges.ClearAsync();
        _group.Members.Clear();
        _group = _group with { Dissolved = true };
        _sortedMembers = null;
        return new GroupChange(seq, members.Count);
    }

    public async Task<GroupInfo> GetInfo(string actor)
    {
        EnsureLive();
        if (!_group.Open)
        {
            _ = RoleOf(actor) ?? throw NotMember(actor);
        }

        return Info() with { Seq = await store.GetSeqAsync(GroupId) };
    }

    public Task<MemberPage> GetMembers(string actor, string? after, int limit)
    {
        EnsureLive();
        _ = RoleOf(actor) ?? throw NotMember(actor);
        limit = Math.Clamp(limit, 1, MaxMemberPage);
        var sorted = _sortedMembers ??= _group.Members.Keys.Order(StringComparer.Ordinal).ToArray();
        var start = after is null ? 0 : Array.BinarySearch(sorted, after, StringComparer.Ordinal);
        if (after is not null)
        {
            start = start >= 0 ? start + 1 : ~start;
        }

        var page = sorted.Skip(start).Take(limit)
            .Select(u => new GroupMember(u, _group.Members[u].Role, _group.Members[u].Muted, _group.Members[u].JoinedSeq)).ToList();
        var next = start + page.Count < sorted.Length ? page[^1].User : null;
        return Task.FromResult(new MemberPage(page, next));
    }

    public async Task<SendResult> Send(GroupSendRequest request)
    {
        EnsureLive();
        if (request.From != IGroupGrain.SystemActor && SendRefusal(request.From) is { } refusal)
        {
            // A retry of a send stored before the sender was muted or removed still gets its first ACK.
            return await store.FindDuplicateAsync(GroupId, request) ?? throw refusal;
        }

        var messageId = Guid.CreateVersion7().ToString("N");
        var result = await store.AppendMessageAsync(GroupId, request, messageId, Now);
        if (result.Duplicate)
        {
            return result;
        }

        if (request.From != IGroupGrain.SystemActor)
        {
            _group.ReadCursors[request.From] = result.Seq;
        }

        var message = new StoredMessage(result.MessageId, result.Seq, request.From, GroupId, result.Timestamp, request.ContentType, request.Body, GroupId);
        await PushAsync(message, request.FromSession?.EdgeId, request.FromSession?.ConnectionId ?? 0);
        return result;
    }

    public async Task<SyncResult> Read(string user, long after, int limit, int maxBytes)
    {
        EnsureLive();
        var record = _group.Members.TryGetValue(user, out var r) ? r : throw NotMember(user);
        return await store.ReadAsync(GroupId, after, limit, maxBytes, floor: record.JoinedSeq - 1);
    }

    public Task<ReadCount> GetReadCount(string actor, long seq)
    {
        EnsureLive();
        _ = RoleOf(actor) ?? throw NotMember(actor);
        var read = 0;
        foreach (var member in _group.Members.Keys)
        {
            if (_group.ReadCursors.GetValueOrDefault(member) >= seq)
            {
                read++;
            }
        }

        return Task.FromResult(new ReadCount(seq, read, _group.Members.Count));
    }

    public async Task<long> Recall(string actor, long seq)
    {
        EnsureLive();
        var role = RoleOf(actor) ?? throw NotMember(actor);
        var found = await store.ReadAtAsync(GroupId, seq) ?? throw new RefusedException(Refusal.NotFound, $"no message at seq {seq}");
        var (message, member) = found;
        if (SystemContentTypes.IsReserved(message.ContentType))
        {
            throw new RefusedException(Refusal.NotFound, $"seq {seq} is not a message that can be recalled");
        }

        if (message.From != actor && role < GroupRole.Admin)
        {
            throw new RefusedException(Refusal.Forbidden, "only the sender, the owner and admins recall a message");
        }

        if (actor != IGroupGrain.SystemActor && Now - message.Timestamp > _options.RecallWindow.TotalMilliseconds)
        {
            throw new RefusedException(Refusal.RecallWindowPassed,
                $"messages can be recalled for {_options.RecallWindow.TotalSeconds:0} s after sending");
        }

        var now = Now;
        var eventId = Guid.CreateVersion7().ToString("N");
        var body = RecallBody.Encode(seq, actor);
        var entry = LogEntry.Encode(eventId, actor, GroupId, now, SystemContentTypes.Recall, body);
        var eventSeq = await store.RecallAsync(GroupId, message, member, entry)
                       ?? throw new RefusedException(Refusal.NotFound, $"the message at seq {seq} was already recalled");
        await PushAsync(new StoredMessage(eventId, eventSeq, actor, GroupId, now, SystemContentTypes.Recall, body, GroupId), null, 0);
        return eventSeq;
    }

    /// <summary>A member's read mark, already stored by the member's grain: only the read counts held here follow it.</summary>
    public Task MemberRead(string user, long seq)
    {
        if (_group.Members.ContainsKey(user) && seq > _group.ReadCursors.GetValueOrDefault(user))
        {
            _group.ReadCursors[user] = seq;
        }

        return Task.CompletedTask;
    }

    public async Task<string[]> Subscribe(string edgeId, long generation, string[] users)
    {
        if (!_group.Exists || _group.Dissolved)
        {
            return users;
        }

        // Stored before the edge welcomes its member, so a reactivated group still pushes to that edge.
        await _edges.SubscribeAsync(edgeId, generation);
        return users.Where(u => !_group.Members.ContainsKey(u)).ToArray();
    }

    public Task Unsubscribe(string edgeId, long generation) => _edges.UnsubscribeAsync(edgeId, generation);

    public async Task Typing(string user)
    {
        if (_group.Dissolved || !_group.Members.ContainsKey(user))
        {
            return;
        }

        var notice = new Notice(NoticeKind.Typing, user, null, GroupId, 0, 0);
        foreach (var (_, endpoint) in await _edges.LiveAsync())
        {
            await endpoint.NotifyGroup(notice, user);
        }
    }

    private async Task<GroupChange> AddAsync(string actor, IReadOnlyList<string> members, string eventType)
    {
        var requested = Distinct(members);
        var added = requested.Where(m => !_group.Members.ContainsKey(m)).ToList();
        CheckBatch(added);
        if (added.Count < requested.Count)
        {
            // A repeated add: members already, but their sets of groups may have missed the first one (a crash between its steps).
            await store.RepairMemberGroupsAsync(GroupId, requested.Where(_group.Members.ContainsKey));
        }

        if (added.Count == 0)
        {
            return new GroupChange(0, 0);
        }

        if (_group.Members.Count + added.Count > _options.MaxGroupMembers)
        {
            throw new RefusedException(Refusal.GroupFull,
                $"a group holds at most {_options.MaxGroupMembers} members; it has {_group.Members.Count}");
        }

        var changes = added.Select(m => MemberChange.Add(m, GroupRole.Member)).ToList();
        var entry = GroupEvents.Entry(GroupId, eventType, actor, added, Now);
        var (seq, addedEdges) = await store.ChangeAsync(GroupId, entry, [], changes);
        await ApplyAddsAsync(changes, seq, addedEdges);
        await PushEventAsync(entry, seq);
        return new GroupChange(seq, added.Count);
    }

    private async Task<GroupChange> RemoveAsync(string actor, List<string> removed, string eventType)
    {
        if (removed.Count == 0)
        {
            return new GroupChange(0, 0);
        }

        var entry = GroupEvents.Entry(GroupId, eventType, actor, removed, Now);

        var (seq, _) = await store.ChangeAsync(GroupId, entry, [], removed.Select(MemberChange.Delete).ToList());
        // The removed hear of their removal; the same push takes them off their edges' lists.
        await PushEventAsync(entry, seq, removed.ToArray());
        foreach (var user in removed)
        {
            _group.Members.Remove(user);
            _group.ReadCursors.Remove(user);
        }

        _sortedMembers = null;
        return new GroupChange(seq, removed.Count);
    }

    private async Task<GroupChange> UpdateAsync(
        string actor, IReadOnlyList<(string User, MemberRecord Record)> updates, string eventType,
        IReadOnlyList<(string, string)> meta, string? role = null)
    {
        var entry = GroupEvents.Entry(GroupId, eventType, actor, updates.Select(u => u.User).ToList(), Now, role);
        var (seq, _) = await store.ChangeAsync(GroupId, entry, meta,
            updates.Select(u => MemberChange.Update(u.User, u.Record)).ToList());
        foreach (var (user, record) in updates)
        {
            _group.Members[user] = record;
        }

        await PushEventAsync(entry, seq);
        return new GroupChange(seq, updates.Count);
    }

    /// <summary>
    /// Records the added members and tells the edges holding their devices (read by the change script, so a member
    /// connecting meanwhile is either here or has this group in their login's list). Awaited, so the event pushed
    /// next reaches them.
    /// </summary>
    private async Task ApplyAddsAsync(List<MemberChange> changes, long seq, string[][] addedEdges)
    {
        var usersByEdge = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < changes.Count; i++)
        {
            _group.Members[changes[i].User] = changes[i].Record with { JoinedSeq = seq };
            foreach (var edge in i < addedEdges.Length ? addedEdges[i] : [])
            {
                (usersByEdge.TryGetValue(edge, out var users) ? users : usersByEdge[edge] = []).Add(changes[i].User);
            }
        }

        _sortedMembers = null;
        foreach (var (edge, users) in usersByEdge)
        {
            try
            {
                if (await edges.ResolveAsync(edge) is not { } endpoint)
                {
                    continue;
                }

                var generation = await endpoint.AddGroupMembers(GroupId, [.. users]).WaitAsync(EdgeCallTimeout);
                if (generation > 0)
                {
                    await _edges.SubscribeAsync(edge, generation);
                }
            }
            catch (Exception e)
            {
                // Members, stored: those devices get the group's pushes from their next login, and its messages by syncing.
                logger.LogWarning(e, "Could not tell edge {EdgeId} of new members of group {GroupId}", edge, GroupId);
            }
        }
    }

    /// <summary>Pushes a membership event just appended at <paramref name="seq"/>, decoded from the bytes written (no read back).</summary>
    private Task PushEventAsync(byte[] entry, long seq, string[]? removed = null, bool dissolved = false) =>
        PushAsync(LogEntry.Decode(entry, seq, GroupId), null, 0, removed ?? [], dissolved);

    /// <summary>One one-way call per subscribed edge, whatever the number of members there.</summary>
    private async Task PushAsync(
        StoredMessage message, string? senderEdge, long senderConnection, string[]? removed = null, bool dissolved = false)
    {
        try
        {
            foreach (var (edge, endpoint) in await _edges.LiveAsync())
            {
                await endpoint.DeliverToGroup(message, edge == senderEdge ? senderConnection : 0, removed ?? [], dissolved);
            }
        }
        catch (Exception e)
        {
            // Stored already: members that missed the push get it by syncing.
            logger.LogWarning(e, "Push of {MessageId} in group {GroupId} failed", message.Id, GroupId);
        }
    }

    private GroupInfo Info() =>
        new(GroupId, _group.Owner, _group.Open, _group.Members.Count, 0, _options.MaxGroupMembers);

    private void EnsureLive()
    {
        if (!_group.Exists || _group.Dissolved)
        {
            throw new RefusedException(Refusal.NoSuchGroup, $"group {GroupId} does not exist");
        }
    }

    /// <summary>The actor's role; the system actor counts as an owner; null for non-members.</summary>
    private GroupRole? RoleOf(string actor) =>
        actor == IGroupGrain.SystemActor ? GroupRole.Owner
        : _group.Members.TryGetValue(actor, out var record) ? record.Role
        : null;

    private void RequireOwner(string actor, string reason)
    {
        if (RoleOf(actor) != GroupRole.Owner)
        {
            throw new RefusedException(Refusal.Forbidden, reason);
        }
    }

    private void CheckBatch(IReadOnlyCollection<string> members)
    {
        if (members.Count > _options.MaxMembersPerChange)
        {
            throw new RefusedException(Refusal.InvalidRequest, $"at most {_options.MaxMembersPerChange} members per change");
        }
    }

    private static List<string> Distinct(IReadOnlyList<string> members)
    {
        foreach (var member in members)
        {
            if (string.IsNullOrEmpty(member) || member.Length > 64)
            {
                throw new RefusedException(Refusal.InvalidRequest, "member ids are 1-64 characters");
            }
        }

        return members.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Why <paramref name="user"/> may not send now, or null when they may.</summary>
    private RefusedException? SendRefusal(string user) =>
        !_group.Members.TryGetValue(user, out var record) ? NotMember(user)
        : record.Muted ? new RefusedException(Refusal.Muted, "you are muted in this group")
        : null;

    private RefusedException NotMember(string user) =>
        new(Refusal.NotMember, user == IGroupGrain.SystemActor ? "not a member" : $"{user} is not a member of group {GroupId}");
}
