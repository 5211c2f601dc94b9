using System.Globalization;
using ImActors.Grains.Events;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using ImActors.Grains.Users;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Groups;

/// <summary>What a group keeps in the store, as loaded when its grain activates.</summary>
internal sealed record GroupSnapshot(
    bool Exists,
    string Owner,
    bool Open,
    bool Dissolved,
    Dictionary<string, MemberRecord> Members,
    Dictionary<string, long> ReadCursors,
    Dictionary<string, long> Edges);

/// <summary>One member as stored: "role|muted|joinedSeq".</summary>
internal readonly record struct MemberRecord(GroupRole Role, bool Muted, long JoinedSeq)
{
    public string Encode() => $"{(int)Role}|{(Muted ? 1 : 0)}|{JoinedSeq}";

    /// <summary>The value the add op of the change script completes with the event's seq.</summary>
    public string EncodeWithoutSeq() => $"{(int)Role}|{(Muted ? 1 : 0)}";

    public static MemberRecord Parse(string value)
    {
        var parts = value.Split('|');
        return new MemberRecord((GroupRole)int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1] == "1",
            long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}

/// <summary>One member's part of a membership change.</summary>
internal readonly record struct MemberChange(char Op, string User, MemberRecord Record)
{
    public static MemberChange Add(string user, GroupRole role) => new('a', user, new MemberRecord(role, false, 0));

    public static MemberChange Update(string user, MemberRecord record) => new('u', user, record);

    public static MemberChange Delete(string user) => new('d', user, default);
}

/// <summary>
/// A group in Redis: meta and members as hashes (one field per member: a change never rewrites the list),
/// the timeline a log like an inbox (one key per entry), and one read-cursor key per member.
/// </summary>
internal sealed class GroupStore(StoreConnection redis, IOptions<InboxOptions> inboxOptions, EventOutbox events)
{
    private const int KeysPerRead = 1000;
    private readonly InboxOptions _options = inboxOptions.Value;

    public async Task<GroupSnapshot> LoadAsync(string group)
    {
        var metaTask = redis.Run(db => db.HashGetAllAsync(GroupKeys.Meta(group)));
        var membersTask = redis.Run(db => db.HashGetAllAsync(GroupKeys.Members(group)));
        var edgesTask = redis.Run(db => db.HashGetAllAsync(GroupKeys.Edges(group)));
        var meta = (await metaTask).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        var members = (await membersTask).ToDictionary(e => (string)e.Name!, e => MemberRecord.Parse(e.Value!));
        var read = await LoadReadCursorsAsync(group, members.Keys);
        return new GroupSnapshot(
            Exists: meta.ContainsKey("owner"),
            Owner: meta.GetValueOrDefault("owner", ""),
            Open: meta.GetValueOrDefault("open") == "1",
            Dissolved: meta.GetValueOrDefault("dissolved") == "1",
            members,
            read,
            (await edgesTask).ToDictionary(e => (string)e.Name!, e => (long)e.Value));
    }

    /// <summary>Records an edge's subscription; returned after the store's commit, like every write.</summary>
    public Task SubscribeAsync(string group, string edge, long generation) =>
        redis.Run(db => db.HashSetAsync(GroupKeys.Edges(group), edge, generation));

    public Task UnsubscribeAsync(string group, IReadOnlyCollection<string> edges) =>
        edges.Count == 0 ? Task.CompletedTask
        : redis.Run(db => db.HashDeleteAsync(GroupKeys.Edges(group), edges.Select(e => (RedisValue)e).ToArray()));

    private async Task<Dictionary<string, long>> LoadReadCursorsAsync(string group, IReadOnlyCollection<string> members) =>
        (await ReadStringsAsync(members, m => GroupKeys.Read(group, m))).ToDictionary(e => e.Key, e => (long)e.Value);

    /// <summary>The string key of each name that has one, read in batches.</summary>
    private async Task<Dictionary<string, RedisValue>> ReadStringsAsync(IReadOnlyCollection<string> names, Func<string, RedisKey> key)
    {
        var result = new Dictionary<string, RedisValue>();
        // All batches in flight at once: a 100,000-member group activates in one pipelined burst, not 100 round trips.
        var batches = names.Chunk(KeysPerRead).ToList();
        var reads = batches.Select(batch => redis.Run(db => db.StringGetAsync(batch.Select(key).ToArray()))).ToList();
        for (var b = 0; b < batches.Count; b++)
        {
            var values = await reads[b];
            for (var i = 0; i < values.Length; i++)
            {
                if (!values[i].IsNull)
                {
                    result[batches[b][i]] = values[i];
                }
            }
        }

        return result;
    }

    public async Task<SendResult> AppendMessageAsync(string group, GroupSendRequest request, string messageId, long timestamp)
    {
        var entry = LogEntry.Encode(messageId, request.From.Name, group, timestamp, request.ContentType, request.Body);
        var fromMember = !request.From.IsSystem;
        var log = GroupKeys.Log(group);
        var draft = events.Open(() => new ImEvent(EventOutbox.NewId(), EventTypes.MessageStored, timestamp, From: request.From.Name, Group: group,
            MessageId: messageId, ContentType: request.ContentType, Body: events.Body(request.Body)));
        var result = (RedisResult[])(await redis.Eval(GroupScripts.Append,
            [
                GroupKeys.Dedup(group, request.From.Name, request.ClientMessageId), log.Seq, log.Floor, GroupKeys.Read(group, request.From.Name),
                events.ListOf(group),
            ],
            [
                entry, messageId, timestamp, _options.MaxEntries, Math.Max(1, (long)_options.DedupWindow.TotalSeconds),
                log.EntryPrefix, fromMember ? "1" : "0", "1", draft,
            ]))!;
        return InboxLog.ParseAck((string)result[1]!, duplicate: (int)result[0] == 1);
    }

    /// <summary>The first ACK of a send already stored with this client message id, or null.</summary>
    public async Task<SendResult?> FindDuplicateAsync(string group, GroupSendRequest request)
    {
        var ack = await redis.Run(db => db.StringGetAsync(GroupKeys.Dedup(group, request.From.Name, request.ClientMessageId)));
        return ack.IsNull ? null : InboxLog.ParseAck(ack!, duplicate: true);
    }

    /// <summary>
    /// Applies member changes and meta updates and appends <paramref name="eventEntry"/> (if any), atomically in the
    /// group's keys, then adds the group to or removes it from each changed member's set of groups, one member per step.
    /// Returns the event's seq and, for each added member in order, the edges holding their devices (none when offline).
    /// </summary>
    /// <remarks>
    /// A crash between the steps leaves members whose set of groups is behind: a repeated add repairs an added one
    /// (<see cref="RepairMemberGroupsAsync"/>), and a conversation list drops a group its user is no longer in.
    /// </remarks>
    public async Task<(long Seq, string[][] AddedEdges)> ChangeAsync(
        string group, byte[]? eventEntry, IReadOnlyList<(string Field, string Value)> meta, IReadOnlyList<MemberChange> changes)
    {
        var log = GroupKeys.Log(group);
        var keys = new List<RedisKey>(5 + changes.Count)
        {
            log.Seq, log.Floor, GroupKeys.Members(group), GroupKeys.Meta(group), events.ListOf(group),
        };
        var draft = eventEntry is null ? RedisValue.EmptyString : events.Open(() => GroupEvents.ToStreamEvent(group, eventEntry));
        var args = new List<RedisValue>(6 + meta.Count * 2 + changes.Count * 3)
        {
            eventEntry ?? (RedisValue)"", _options.MaxEntries, group, log.EntryPrefix, draft, meta.Count,
        };
        foreach (var (field, value) in meta)
        {
            args.Add(field);
            args.Add(value);
        }

        foreach (var change in changes)
        {
            keys.Add(GroupKeys.Read(group, change.User));
            args.Add(change.Op.ToString());
            args.Add(change.User);
            args.Add(change.Op switch { 'a' => change.Record.EncodeWithoutSeq(), 'u' => change.Record.Encode(), _ => "" });
        }

        var memberSteps = changes.Where(c => c.Op != 'u').ToList();
        var eval = memberSteps.Count == 0 ? redis.Eval(GroupScripts.Change, keys.ToArray(), args.ToArray())
            : redis.EvalUncommitted(GroupScripts.Change, keys.ToArray(), args.ToArray());
        var seq = (long)await eval;
        var sessions = await Task.WhenAll(memberSteps.Select(c => MemberGroupsAsync(group, c.User, c.Op == 'a')));
        var added = memberSteps.Select((c, i) => (c, i)).Where(x => x.c.Op == 'a').Select(x => SessionStore.Edges(sessions[x.i])).ToArray();
        return (seq, added);
    }

    /// <summary>Puts the group back into the sets of members whose add was cut short by a crash.</summary>
    public Task RepairMemberGroupsAsync(string group, IEnumerable<string> members) =>
        Task.WhenAll(members.Select(m => MemberGroupsAsync(group, m, add: true)));

    /// <summary>Adds the group to or removes it from the user's set; returns the user's stored sessions for an add.</summary>
    private async Task<string[]> MemberGroupsAsync(string group, string user, bool add) =>
        ((RedisResult[])(await redis.Eval(GroupScripts.MemberGroups, [InboxKeys.Groups(user), InboxKeys.Sessions(user)], [group, add ? "1" : "0"]))!)
        .Select(s => (string)s!).ToArray();

    public Task<SyncResult> ReadAsync(string group, long after, int limit, int maxBytes, long floor) =>
        LogPages.ReadAsync(redis, GroupKeys.Log(group), after, limit, maxBytes, group, floor);

    public Task<(StoredMessage Message, byte[] Member)?> ReadAtAsync(string group, long seq) =>
        LogPages.ReadAtAsync(redis, GroupKeys.Log(group), seq, group);

    public async Task<long> GetSeqAsync(string group)
    {
        var value = await redis.Run(db => db.StringGetAsync(GroupKeys.Seq(group)));
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Replaces the entry with its tombstone and appends a recall event; returns the event's seq, or null if it changed meanwhile.</summary>
    public async Task<long?> RecallAsync(string group, StoredMessage message, byte[] member, byte[] recallEvent)
    {
        var tombstone = LogEntry.Encode(message.Id, message.From, message.To, message.Timestamp, SystemContentTypes.Tombstone, []);
        var log = GroupKeys.Log(group);
        var result = (RedisResult[])(await redis.Eval(RecallScript.Source,
            [log.Seq, log.Floor],
            [_options.MaxEntries, log.EntryPrefix, message.Seq, member, tombstone, recallEvent]))!;
        return (int)result[0] == 1 ? (long)result[1] : null;
    }
}
