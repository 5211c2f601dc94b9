namespace ImActors.Grains.Interfaces.Groups;

/// <summary>A member's role. Owners and admins add and remove members and mute them; only the owner
/// appoints admins, transfers ownership and dissolves the group.</summary>
public enum GroupRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

/// <param name="Seq">The timeline's highest seq now.</param>
[GenerateSerializer, Immutable, Alias("imactors.GroupInfo")]
public sealed record GroupInfo(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string Owner,
    [property: Id(2)] bool Open,
    [property: Id(3)] int MemberCount,
    [property: Id(4)] long Seq,
    [property: Id(5)] int MaxMembers);

/// <param name="JoinedSeq">The seq of the timeline event that added the member: the member reads from there.</param>
[GenerateSerializer, Immutable, Alias("imactors.GroupMember")]
public sealed record GroupMember(
    [property: Id(0)] string User,
    [property: Id(1)] GroupRole Role,
    [property: Id(2)] bool Muted,
    [property: Id(3)] long JoinedSeq);

/// <param name="Next">Pass as <c>after</c> to get the next page; null on the last page.</param>
[GenerateSerializer, Immutable, Alias("imactors.MemberPage")]
public sealed record MemberPage(
    [property: Id(0)] IReadOnlyList<GroupMember> Members,
    [property: Id(1)] string? Next);

/// <summary>The outcome of a membership change.</summary>
/// <param name="Seq">The seq of the timeline event recording it; 0 when nothing changed (e.g. adding members already in).</param>
/// <param name="Changed">How many members the change applied to.</param>
[GenerateSerializer, Immutable, Alias("imactors.GroupChange")]
public sealed record GroupChange(
    [property: Id(0)] long Seq,
    [property: Id(1)] int Changed);

/// <summary>How many members have read up to <see cref="Seq"/>, out of <see cref="Members"/>.</summary>
[GenerateSerializer, Immutable, Alias("imactors.ReadCount")]
public sealed record ReadCount(
    [property: Id(0)] long Seq,
    [property: Id(1)] int Read,
    [property: Id(2)] int Members);
