using Orleans.Concurrency;

namespace ImActors.Grains.Presence;

/// <summary>
/// The sweep of gone edges tells a user's grain to look at its sessions again. Not part of any public interface:
/// only the sweep has a reason to call it.
/// </summary>
[Alias("imactors.IUserSessionCheck")]
public interface IUserSessionCheck : IGrainWithStringKey
{
    /// <summary>A run of <paramref name="edgeId"/> was found gone at <paramref name="foundAt"/>: drop the sessions it held.</summary>
    [OneWay, Alias("CheckSessions")]
    Task CheckSessions(string edgeId, DateTimeOffset foundAt);

    /// <summary>The user's offline grace ended a while ago by the store and nothing closed it: report offline if due.</summary>
    [OneWay, Alias("CheckGrace")]
    Task CheckGrace();
}
