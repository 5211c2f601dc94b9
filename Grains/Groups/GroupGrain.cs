using ImActors.Grains.Conversations;
using ImActors.Grains.Edges;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Groups;

/// <summary>
/// One group. Its turns are serial, so timeline seqs and pushes follow one total order whoever sends.
/// A message is appended once to the timeline and pushed once per subscribed edge, which writes it to its
/// members' connections (read diffusion: members' inboxes get no copy; offline members read the timeline
/// from their cursor). Edges subscribe when their first member of the group logs in (decision 81).
/// Membership lives in the store one field per member and in memory while the grain is active.
/// The grain coordinates: <see cref="GroupRules"/> decides, <see cref="GroupStore"/> stores, the grain applies the
/// change to its memory, and <see cref="GroupFanOut"/> pushes.
/// </summary>
internal sealed class GroupGrain(
    GroupStore store,
    EdgeEndpoints edges,
    IOptions<ConversationOptions> options,
    TimeProvider time,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain, IGroupMemberFeed, IGroupEdges, IIncomingGrainCallFilter
{
    private const int MaxMemberPage = 1000;
    private readonly ConversationOptions _options = options.Value;
    private GroupSnapshot _group = null!;
    private GroupRules _rules = null!;
    private GroupFanOut _fanOut = null!;
    private string[]? _sortedMembers;

    // Whether this activation's key passes the id rule: checked on the first call, not on every one.
    private bool? _validId;

    private string GroupId => this.GetPrimaryKeyString();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A group id a client could not use (a brace would move the group's keys out of their hash slot) is refused, whoever calls.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (!(_validId ??= Ids.IsValid(GroupId)))
        {
            Ids.Require(GroupId, "the group id");
        }

        return context.Invoke();
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _group = await store.LoadAsync(GroupId);
        _rules = new GroupRules(GroupId, _options);
        _fanOut = new GroupFanOut(GroupId, new EdgeSubscriptions(GroupId, _group.Edges, store, edges), edges, logger);
    }

    public async Task<GroupInfo> Create(Actor actor, IReadOnlyList<string> members, bool open)
    {
        var decision = _rules.Create(_group, actor, members, open, Now);
        if (decision.ChangesNothing)
        {
            return Info();
        }

        var change = await ApplyAsync(actor, decision, stored: () => _group = _group with { Exists = true, Owner = actor.Name, Open = open, Dissolved = false });
        return Info() with { Seq = change.Seq };
    }

    public Task<GroupChange> AddMembers(Actor actor, IReadOnlyList<string> members) => Live(() => ApplyAsync(actor, _rules.AddMembers(_group, actor, members)));

    public Task<GroupChange> RemoveMembers(Actor actor, IReadOnlyList<string> members) => Live(() => ApplyAsync(actor, _rules.RemoveMembers(_group, actor, members)));

    public Task<GroupChange> Join(string user) => Live(() => ApplyAsync(Actor.OfUser(user), _rules.Join(_group, user)));

    public Task<GroupChange> Leave(string user) => Live(() => ApplyAsync(Actor.OfUser(user), _rules.Leave(_group, user)));

    public Task<GroupChange> SetRole(Actor actor, string member, GroupRole role) => Live(() => ApplyAsync(actor, _rules.SetRole(_group, actor, member, role)));

    public Task<GroupChange> Mute(Actor actor, string member, bool muted) => Live(() => ApplyAsync(actor, _rules.Mute(_group, actor, member, muted)));

    public Task<GroupChange> TransferOwnership(Actor actor, string newOwner) =>
        Live(() => ApplyAsync(actor, _rules.TransferOwnership(_group, actor, newOwner), stored: () => _group = _group with { Owner = newOwner }));

    public async Task<GroupChange> Dissolve(Actor actor)
    {
        _rules.EnsureLive(_group);
        var decision = _rules.Dissolve(_group, actor);
        if (decision.Refusal is { } refusal)
        {
            throw refusal;
        }

        var members = _group.Members.Keys.ToList();
        var entry = GroupEvents.Entry(GroupId, decision.EventType, actor.Name, decision.EventMembers, Now);
        var (seq, _) = await store.ChangeAsync(GroupId, entry, decision.Meta, []);
        await _fanOut.PushAsync(LogEntry.Decode(entry, seq, GroupId), dissolved: true);
        foreach (var batch in members.Chunk(_options.MaxMembersPerChange))
        {
            await store.ChangeAsync(GroupId, null, [], batch.Select(MemberChange.Delete).ToList());
        }

        await _fanOut.Subscriptions.ClearAsync();
        _group.Members.Clear();
        _group = _group with { Dissolved = true };
        _sortedMembers = null;
        return new GroupChange(seq, members.Count);
    }

    public async Task<GroupInfo> GetInfo(Actor actor)
    {
        _rules.EnsureLive(_group);
        _rules.RequireInfoRight(_group, actor);
        return Info() with { Seq = await store.GetSeqAsync(GroupId) };
    }

    public Task<MemberPage> GetMembers(Actor actor, string? after, int limit)
    {
        _rules.EnsureLive(_group);
        _rules.RequireMember(_group, actor);
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

    public Task<OnlineMembersPage> GetOnlineMembers(Actor actor, string? after, int limit)
    {
        _rules.EnsureLive(_group);
        _rules.RequireMember(_group, actor);
        return OnlineMembers.PageAsync(GroupId, _fanOut.Subscriptions, _group.Members, after, Math.Clamp(limit, 1, MaxMemberPage), logger);
    }

    public async Task<SendResult> Send(GroupSendRequest request)
    {
        _rules.EnsureLive(_group);
        if (_rules.SendRefusal(_group, request.From, request.ClientMessageId) is { } refusal)
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

        if (request.From.UserId is { } sender)
        {
            _group.ReadCursors[sender] = result.Seq;
        }

        var message = new StoredMessage(result.MessageId, result.Seq, request.From.Name, GroupId, result.Timestamp, request.ContentType, request.Body, GroupId);
        await _fanOut.PushAsync(message, request.FromSession?.EdgeId, request.FromSession?.ConnectionId ?? 0);
        return result;
    }

    public async Task<SyncResult> Read(string user, long after, int limit, int maxBytes)
    {
        _rules.EnsureLive(_group);
        return await store.ReadAsync(GroupId, after, limit, maxBytes, floor: _rules.ReadFloor(_group, user));
    }

    public Task<ReadCount> GetReadCount(Actor actor, long seq)
    {
        _rules.EnsureLive(_group);
        _rules.RequireMember(_group, actor);
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

    public async Task<long> Recall(Actor actor, long seq)
    {
        _rules.EnsureLive(_group);
        _rules.RequireMember(_group, actor);
        var (message, member) = await store.ReadAtAsync(GroupId, seq) ?? throw new RefusedException(Refusal.NotFound, $"no message at seq {seq}");
        _rules.RequireRecallRight(_group, actor, message, Now);

        var now = Now;
        var eventId = Guid.CreateVersion7().ToString("N");
        var body = RecallBody.Encode(seq, actor.Name);
        var entry = LogEntry.Encode(eventId, actor.Name, GroupId, now, SystemContentTypes.Recall, body);
        var eventSeq = await store.RecallAsync(GroupId, message, member, entry)
                       ?? throw new RefusedException(Refusal.NotFound, $"the message at seq {seq} was already recalled");
        await _fanOut.PushAsync(new StoredMessage(eventId, eventSeq, actor.Name, GroupId, now, SystemContentTypes.Recall, body, GroupId));
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
        await _fanOut.Subscriptions.SubscribeAsync(edgeId, generation);
        return users.Where(u => !_group.Members.ContainsKey(u)).ToArray();
    }

    public Task Unsubscribe(string edgeId, long generation) => _fanOut.Subscriptions.UnsubscribeAsync(edgeId, generation);

    public Task Typing(string user) =>
        _group.Dissolved || !_group.Members.ContainsKey(user) ? Task.CompletedTask : _fanOut.TypingAsync(user);

    /// <summary>Every command but a create needs the group to exist; the rules then decide the rest.</summary>
    private Task<GroupChange> Live(Func<Task<GroupChange>> command)
    {
        _rules.EnsureLive(_group);
        return command();
    }

    /// <summary>
    /// Carries out what the rules decided: the store step (members, meta and the event, atomically), then memory, then
    /// the edges of added members, then the event's push (decoded from the bytes written, no read back).
    /// </summary>
    /// <param name="stored">Updates the group's own fields once the step is stored.</param>
    private async Task<GroupChange> ApplyAsync(Actor actor, MembershipDecision decision, Action? stored = null)
    {
        if (decision.Repair is { Count: > 0 } repair)
        {
            await store.RepairMemberGroupsAsync(GroupId, repair);
        }

        if (decision.Refusal is { } refusal)
        {
            throw refusal;
        }

        if (decision.ChangesNothing)
        {
            return new GroupChange(0, 0);
        }

        var entry = GroupEvents.Entry(GroupId, decision.EventType, actor.Name, decision.EventMembers, Now, decision.Role);
        var (seq, edgesOfAdded) = await store.ChangeAsync(GroupId, entry, decision.Meta, decision.Changes);
        stored?.Invoke();
        var added = new List<MemberChange>();
        var removed = new List<string>();
        foreach (var change in decision.Changes)
        {
            switch (change.Op)
            {
                case 'a':
                    _group.Members[change.User] = change.Record with { JoinedSeq = seq };
                    added.Add(change);
                    break;
                case 'u':
                    _group.Members[change.User] = change.Record;
                    break;
                default:
                    _group.Members.Remove(change.User);
                    _group.ReadCursors.Remove(change.User);
                    removed.Add(change.User);
                    break;
            }
        }

        _sortedMembers = null;
        await _fanOut.AddMembersAsync(added, edgesOfAdded);
        // The removed hear of their removal; the same push takes them off their edges' lists.
        await _fanOut.PushAsync(LogEntry.Decode(entry, seq, GroupId), removed: [.. removed]);
        return new GroupChange(seq, decision.Changes.Count);
    }

    private GroupInfo Info() =>
        new(GroupId, _group.Owner, _group.Open, _group.Members.Count, 0, _options.MaxGroupMembers);
}
