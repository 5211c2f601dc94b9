using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Groups;

/// <summary>
/// One group (key: the group id): members and roles, the group's timeline and its sequence, and fan-out
/// to the edges that hold online members. Every membership change is also a timeline event with its own
/// seq. <c>actor</c> is who asks: <see cref="Actor.OfUser"/> for a user, <see cref="Actor.System"/> for a business
/// service, which has every right.
/// Refusals throw <see cref="RefusedException"/>.
/// </summary>
[Alias("imactors.IGroupGrain")]
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>Creates the group with <paramref name="actor"/> as owner. Creating it again with the same owner returns it unchanged.</summary>
    [Alias("Create")]
    Task<GroupInfo> Create(Actor actor, IReadOnlyList<string> members, bool open);

    /// <summary>Owner/admins (anyone in an open group). Members already in are skipped.</summary>
    [Alias("AddMembers")]
    Task<GroupChange> AddMembers(Actor actor, IReadOnlyList<string> members);

    /// <summary>Owner/admins; admins cannot remove the owner or other admins. A removed member stops receiving at once.</summary>
    [Alias("RemoveMembers")]
    Task<GroupChange> RemoveMembers(Actor actor, IReadOnlyList<string> members);

    /// <summary>Joins an open group.</summary>
    [Alias("Join")]
    Task<GroupChange> Join(string user);

    /// <summary>Leaves the group. The owner must transfer ownership (or dissolve) first.</summary>
    [Alias("Leave")]
    Task<GroupChange> Leave(string user);

    /// <summary>Owner only: makes a member an admin or an admin a member.</summary>
    [Alias("SetRole")]
    Task<GroupChange> SetRole(Actor actor, string member, GroupRole role);

    /// <summary>Owner only: the new owner must be a member; the old owner becomes an admin.</summary>
    [Alias("TransferOwnership")]
    Task<GroupChange> TransferOwnership(Actor actor, string newOwner);

    /// <summary>Owner/admins: a muted member cannot send. Admins can mute members only.</summary>
    [Alias("Mute")]
    Task<GroupChange> Mute(Actor actor, string member, bool muted);

    /// <summary>Owner only: ends the group. Members are told through a last timeline event.</summary>
    [Alias("Dissolve")]
    Task<GroupChange> Dissolve(Actor actor);

    [AlwaysInterleave, Alias("GetInfo")]
    Task<GroupInfo> GetInfo(Actor actor);

    /// <summary>Members ordered by user id, after <paramref name="after"/> (exclusive), at most <paramref name="limit"/> (1-1000).</summary>
    [AlwaysInterleave, Alias("GetMembers")]
    Task<MemberPage> GetMembers(Actor actor, string? after, int limit);

    /// <summary>
    /// How many members are connected now, and a page of them ordered by user id after <paramref name="after"/>
    /// (exclusive), at most <paramref name="limit"/> (1-1000). Members only. Asked of the edges the group pushes to
    /// (one call each), not of every member's grain; a member in the offline grace of their presence is not counted.
    /// </summary>
    [Alias("GetOnlineMembers")]
    Task<OnlineMembersPage> GetOnlineMembers(Actor actor, string? after, int limit);

    /// <summary>
    /// Appends a message to the timeline (sender: a member, not muted), returns the durable ACK, then pushes it
    /// once per edge holding online members. A retry with the same client message id returns the first ACK.
    /// </summary>
    [Alias("Send")]
    Task<SendResult> Send(GroupSendRequest request);

    /// <summary>Timeline entries after <paramref name="after"/> that <paramref name="user"/> may read (members only, from their join).</summary>
    [AlwaysInterleave, Alias("Read")]
    Task<SyncResult> Read(string user, long after, int limit, int maxBytes);

    /// <summary>How many members have read up to <paramref name="seq"/>.</summary>
    [AlwaysInterleave, Alias("GetReadCount")]
    Task<ReadCount> GetReadCount(Actor actor, long seq);

    /// <summary>Recalls the entry at <paramref name="seq"/>: its sender or an owner/admin, within the recall window. Returns the recall event's seq.</summary>
    [Alias("Recall")]
    Task<long> Recall(Actor actor, long seq);

    /// <summary>An ephemeral typing notice from a member, pushed to the other online members.</summary>
    [OneWay, Alias("Typing")]
    Task Typing(string user);
}
