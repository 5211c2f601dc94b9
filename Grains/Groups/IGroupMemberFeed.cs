using Orleans.Concurrency;

namespace ImActors.Grains.Groups;

/// <summary>
/// What members' user grains tell a group: read marks and where the members are connected. Not part of
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

    /// <summary>
    /// The edges holding <paramref name="user"/>'s devices now (sent by the user's grain whenever that set changes).
    /// <paramref name="version"/> orders updates: an older one than the last seen is ignored.
    /// </summary>
    [OneWay, Alias("Presence")]
    Task Presence(string user, long version, string[] edges);
}
