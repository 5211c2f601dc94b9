namespace ImActors.Edge.Sessions;

/// <summary>
/// Who this edge is: a stable id (its registration key in the cluster) and an incarnation that is new
/// on every start, so sessions left behind by a previous run of the same edge are recognisably stale.
/// </summary>
public sealed class EdgeIdentity(string edgeId)
{
    public string EdgeId { get; } = edgeId;

    public Guid Incarnation { get; } = Guid.NewGuid();
}
