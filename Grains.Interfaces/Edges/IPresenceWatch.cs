using ImActors.Grains.Interfaces.Presence;
using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Edges;

/// <summary>
/// What an edge tells a user's grain (key: the watched user) about the watchers it holds. The grain pushes each change
/// of the user's presence once per watching edge, and the edge writes it to its local watchers. Edges only: a
/// business service holds no connection to push to.
/// </summary>
[Alias("imactors.IPresenceWatch")]
public interface IPresenceWatch : IGrainWithStringKey
{
    /// <summary>
    /// The edge has a first local watcher of this user: it gets every change from now on. Returns the presence now
    /// (the watchers' snapshot). <paramref name="generation"/> orders this against the same edge's <see cref="Unwatch"/>.
    /// </summary>
    [Alias("Watch")]
    Task<UserPresence> Watch(string edgeId, long generation);

    /// <summary>The edge's last local watcher went; a watch newer than <paramref name="generation"/> stays.</summary>
    [OneWay, Alias("Unwatch")]
    Task Unwatch(string edgeId, long generation);
}
