namespace ImActors.Protocol;

/// <summary>
/// The operations of a request frame, and the fields each reads. Every request is answered by a result
/// frame or an error frame with the same rid. Group operations by a user who lacks the right get 441.
/// </summary>
public static class RequestOps
{
    /// <summary>group, members (optional), open: create a group; the caller becomes its owner.</summary>
    public const string GroupCreate = "group.create";

    /// <summary>group, members: add members (owner/admins; any member of an open group).</summary>
    public const string GroupAdd = "group.add";

    /// <summary>group, members: remove members (owner/admins).</summary>
    public const string GroupRemove = "group.remove";

    /// <summary>group: join an open group.</summary>
    public const string GroupJoin = "group.join";

    /// <summary>group: leave a group.</summary>
    public const string GroupLeave = "group.leave";

    /// <summary>group, member, role ("admin" or "member"): the owner appoints or demotes an admin.</summary>
    public const string GroupRole = "group.role";

    /// <summary>group, member, muted: mute or unmute a member.</summary>
    public const string GroupMute = "group.mute";

    /// <summary>group, member: the owner hands ownership to a member.</summary>
    public const string GroupTransfer = "group.transfer";

    /// <summary>group: the owner dissolves the group.</summary>
    public const string GroupDissolve = "group.dissolve";

    /// <summary>group: the group's info (members; anyone for an open group).</summary>
    public const string GroupInfo = "group.info";

    /// <summary>group, after (user id), limit (1-1000): a page of members ordered by user id.</summary>
    public const string GroupMembers = "group.members";

    /// <summary>group, seq: how many members have read up to seq.</summary>
    public const string ReadCount = "read.count";

    /// <summary>peer or group, seq: marks the conversation read up to seq.</summary>
    public const string Read = "read";

    /// <summary>after (conversation cursor), limit (1-500): the caller's conversations.</summary>
    public const string Conversations = "conversations";

    /// <summary>peer or group, seq: recalls a message (1:1: seq in the caller's inbox; group: the timeline seq).</summary>
    public const string Recall = "recall";

    /// <summary>members (1-1000 user ids): watch their presence; answers a snapshot, then pushes each change.</summary>
    public const string PresenceWatch = "presence.watch";

    /// <summary>members (1-1000 user ids): stop watching them.</summary>
    public const string PresenceUnwatch = "presence.unwatch";

    /// <summary>members (1-1000 user ids): their presence now, without watching.</summary>
    public const string PresenceQuery = "presence.query";

    /// <summary>group, after (user id), limit (1-1000): how many members are online, and a page of them (members only).</summary>
    public const string PresenceGroup = "presence.group";

    /// <summary>peer: block a user; their 1:1 sends to the caller are refused with 450 (decision 112).</summary>
    public const string Block = "block";

    /// <summary>peer: unblock a user.</summary>
    public const string Unblock = "unblock";

    /// <summary>after (user id), limit (1-1000): a page of the users the caller has blocked, in ordinal order.</summary>
    public const string Blocks = "blocks";
}
