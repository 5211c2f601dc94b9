using System.Globalization;
using ImActors.Grains.Groups;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Conversations;

/// <summary>
/// A user's conversation list and read cursors. 1:1 conversations are kept by the send script (last seq,
/// unread set); group conversations are read diffusion: only the user's read cursor is stored per user,
/// the group's last seq is the group's own counter, so a group message writes nothing per member.
/// </summary>
public sealed class ConversationStore(StoreConnection redis)
{
    public const int MaxPageSize = 500;

    public async Task<IReadOnlyList<Conversation>> ListAsync(string user, string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var peersTask = redis.Run(db => db.HashGetAllAsync(InboxKeys.Conversations(user)));
        var readTask = redis.Run(db => db.HashGetAllAsync(InboxKeys.ReadCursors(user)));
        var peerReadTask = redis.Run(db => db.HashGetAllAsync(InboxKeys.PeerRead(user)));
        var groupsTask = redis.Run(db => db.SetMembersAsync(InboxKeys.Groups(user)));
        var read = ToDictionary(await readTask);
        var peerRead = ToDictionary(await peerReadTask);

        // Cursor order: "g:<group>" before "u:<peer>", each by id, so a page boundary is one string.
        var keys = (await peersTask).Select(e => "u:" + e.Name).Concat((await groupsTask).Select(g => "g:" + g))
            .Where(k => after is null || string.CompareOrdinal(k, after) > 0)
            .Order(StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        var lastByPeer = (await peersTask).ToDictionary(e => (string)e.Name!, e => (long)e.Value);

        var page = new List<Conversation>(keys.Count);
        var pending = new List<Task<Conversation>>(keys.Count);
        foreach (var key in keys)
        {
            var id = key[2..];
            pending.Add(key[0] == 'u'
                ? DirectAsync(user, id, lastByPeer[id], read.GetValueOrDefault(key), peerRead.GetValueOrDefault(id))
                : GroupAsync(id, read.GetValueOrDefault(key), read.GetValueOrDefault(GroupKeys.FirstField(id))));
        }

        foreach (var task in pending)
        {
            page.Add(await task);
        }

        return page;
    }

    /// <summary>Moves the 1:1 read cursor forward to <paramref name="seq"/>; returns the cursor and the unread count.</summary>
    public async Task<ReadState> MarkDirectReadAsync(string user, string peer, long seq)
    {
        var result = (RedisResult[])(await redis.Eval(ReadScripts.MarkDirect,
            [InboxKeys.ReadCursors(user), InboxKeys.Unread(user, peer)], ["u:" + peer, seq]))!;
        return new ReadState((long)result[0], (long)result[1]);
    }

    /// <summary>Moves the group read cursor forward (never past the group's last seq); null when the user is not a member.</summary>
    public async Task<ReadState?> MarkGroupReadAsync(string user, string group, long seq)
    {
        var result = (RedisResult[])(await redis.Eval(ReadScripts.MarkGroup,
            [InboxKeys.Groups(user), InboxKeys.ReadCursors(user), GroupKeys.Seq(group)], [group, GroupKeys.ReadField(group), seq]))!;
        var cursor = (long)result[0];
        return cursor < 0 ? null : new ReadState(cursor, Math.Max(0, (long)result[1] - cursor));
    }

    /// <summary>Records that <paramref name="peer"/> has read <paramref name="user"/>'s inbox up to <paramref name="seq"/>.</summary>
    public async Task<long> MarkPeerReadAsync(string user, string peer, long seq) =>
        (long)await redis.Eval(ReadScripts.Max, [InboxKeys.PeerRead(user)], [peer, seq]);

    private async Task<Conversation> DirectAsync(string user, string peer, long last, long readSeq, long peerReadSeq)
    {
        var unread = await redis.Run(db => db.SortedSetLengthAsync(InboxKeys.Unread(user, peer)));
        return new Conversation(ConversationKind.User, peer, last, readSeq, unread, peerReadSeq, 0);
    }

    private async Task<Conversation> GroupAsync(string group, long readSeq, long firstSeq)
    {
        var value = await redis.Run(db => db.StringGetAsync(GroupKeys.Seq(group)));
        var last = value.IsNull ? 0 : (long)value;
        return new Conversation(ConversationKind.Group, group, last, readSeq, Math.Max(0, last - readSeq), 0, firstSeq);
    }

    private static Dictionary<string, long> ToDictionary(HashEntry[] entries) =>
        entries.ToDictionary(e => (string)e.Name!, e => long.Parse((string)e.Value!, CultureInfo.InvariantCulture));
}
