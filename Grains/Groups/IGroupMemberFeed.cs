namespace ImActors.Grains.Groups;

/// <summary>
/// What members' user grains tell a group: their read marks. Not part of
/// <see cref="Interfaces.Groups.IGroupGrain"/>: only the members' own grains may report these.
/// </summary>
[Alias("imactors.IGroupMemberFeed")]
public interface IGroupMemberFeed : IGrainWithStringKey
{
    /// <summary>
    /// A member's read cursor moved (sent by the member's user grain, which awaits it so that a read count asked
    /// after a read mark returned includes it).
    /// </summary>
    [Alias("MemberRead")]
    Task MemberRead(string user, long seq);
}
