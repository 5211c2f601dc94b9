namespace ImActors.Grains.Interfaces.Edges;

/// <summary>
/// What an edge tells a group (key: the group id) about its pushes. A group pushes once per subscribed edge and the
/// edge picks its local members, so a login costs the group nothing unless it is the first member on that edge.
/// Edges only: a business service holds no connections.
/// </summary>
[Alias("imactors.IGroupEdges")]
public interface IGroupEdges : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes the edge to the group's pushes for <paramref name="users"/>, its local members. Returns those of
    /// them that are not members (removed since they logged in, or the group is gone): the edge drops them.
    /// <paramref name="generation"/> orders this against the same edge's <see cref="Unsubscribe"/>.
    /// </summary>
    [Alias("Subscribe")]
    Task<string[]> Subscribe(string edgeId, long generation, string[] users);

    /// <summary>The edge holds no member any more; a subscription newer than <paramref name="generation"/> stays.</summary>
    [Orleans.Concurrency.OneWay, Alias("Unsubscribe")]
    Task Unsubscribe(string edgeId, long generation);
}
