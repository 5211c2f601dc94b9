using ImActors.Grains.Groups;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Conversations;

/// <summary>
/// A user's conversation list and read cursors. 1:1 conversations are kept by the send script (the peers set,
/// last seq, unread set); group conversations are read diffusion: only the user's read cursor is stored per user,
/// the group's last seq is the group's own counter, so a group message writes nothing per member. The system's messages
/// are kept as a 1:1 conversation with the peer <see cref="InboxKeys.SystemPeer"/> and listed as a conversation of their own.
/// </summary>
public sealed class ConversationStore(StoreConnection redis)
{
    public const int MaxPageSize = 500;

    public async Task<IReadOnlyList<Conversation>> ListAsync(string user, string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var peersTask = redis.Run(db => db.SetMembersAsync(InboxKeys.Peers(user)));
        var groupsTask = redis.Run(db => db.SetMembersAsync(InboxKeys.Groups(user)));

        // Cursor order: "g:<group>", then "s:" (the system), then "u:<peer>", each by id, so a page boundary is one string.
        var keys = (await peersTask).Select(p => p == InboxKeys.SystemPeer ? "s:" : "u:" + p).Concat((await groupsTask).Select(g => "g:" + g))
            .Where(k => after is null || string.CompareOrdinal(k, after) > 0)
            .Order(StringComparer.Ordinal)
            .Take(limit)
            .ToList();

        var pending = keys.Select(key => key[0] switch
        {
            'u' => DirectAsync(user, key[2..], ConversationKind.User),
            's' => DirectAsync(user, InboxKeys.SystemPeer, ConversationKind.System),
            _ => GroupAsync(user, key[2..]),
        }).ToList();
        var page = new List<Conversation>(keys.Count);
        foreach (var task in pending)
        {
            if (await task is { } conversation)
            {
                page.Add(conversation);
            }
        }

        return page;
    }

    /// <summary>Moves the 1:1 read cursor forward to <paramref name="seq"/>; returns the cursor and the unread count.</summary>
    public async Task<ReadState> MarkDirectReadAsync(string user, string peer, long seq)
    {
        var result = (RedisResult[])(await redis.Eval(ReadScripts.MarkDirect,
            [InboxKeys.Read(user, peer), InboxKeys.Unread(user, peer)], [seq]))!;
        return new ReadState((long)result[0], (long)result[1]);
    }

    /// <summary>Moves the group read cursor forward (never past the group's last seq); null when the user is not a member.</summary>
    public async Task<ReadState?> MarkGroupReadAsync(string user, string group, long seq)
    {
        var result = (RedisResult[])(await redis.Eval(GroupScripts.MarkRead,
            [GroupKeys.Members(group), GroupKeys.Read(group, user), GroupKeys.Seq(group)], [user, seq]))!;
        var cursor = (long)result[0];
        return cursor < 0 ? null : new ReadState(cursor, Math.Max(0, (long)result[1] - cursor));
    }

    /// <summary>
    /// Records that <paramref name="peer"/> has read their conversation with <paramref name="user"/> up to
    /// <paramref name="peerSeq"/> of the peer's inbox. Returns the seq of <paramref name="user"/>'s inbox up to which
    /// the peer has now read, or 0 when that did not move.
    /// </summary>
    public async Task<long> MarkPeerReadAsync(string user, string peer, long peerSeq) =>
        (long)await redis.Eval(AppendScript.PeerRead, [InboxKeys.Sent(user, peer), InboxKeys.PeerRead(user, peer)], [peerSeq]);

    private async Task<Conversation?> DirectAsync(string user, string peer, ConversationKind kind)
    {
        var countersTask = redis.Run(db => db.StringGetAsync(
            [InboxKeys.LastSeq(user, peer), InboxKeys.Read(user, peer), InboxKeys.PeerRead(user, peer)]));
        var unread = await redis.Run(db => db.SortedSetLengthAsync(InboxKeys.Unread(user, peer)));
        var counters = await countersTask;
        return new Conversation(kind, peer, Number(counters[0]), Number(counters[1]), unread, Number(counters[2]), 0);
    }

    /// <summary>The group as the user's conversation; null, and dropped from the user's groups, when they are not a member.</summary>
    private async Task<Conversation?> GroupAsync(string user, string group)
    {
        // The group's keys only: its seq, the user's cursor (kept by the group) and where the user's history starts.
        var countersTask = redis.Run(db => db.StringGetAsync([GroupKeys.Seq(group), GroupKeys.Read(group, user)]));
        var member = await redis.Run(db => db.HashGetAsync(GroupKeys.Members(group), user));
        var values = await countersTask;
        if (member.IsNull)
        {
            // A removal cut short by a crash between its steps (the group's, then the member's).
            await redis.Run(db => db.SetRemoveAsync(InboxKeys.Groups(user), group));
            return null;
        }

        var first = MemberRecord.Parse(member!).JoinedSeq - 1;
        var (last, readSeq) = (Number(values[0]), Math.Max(Number(values[1]), first));
        return new Conversation(ConversationKind.Group, group, last, readSeq, Math.Max(0, last - readSeq), 0, first);
    }

    private static long Number(RedisValue value) => value.IsNull ? 0 : (long)value;
}
