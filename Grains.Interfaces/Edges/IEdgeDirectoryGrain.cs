using Orleans.Concurrency;
namespace ImActors.Grains.Interfaces.Edges;

/// <summary>Where one edge can be reached, and until when that is known to hold.</summary>
[GenerateSerializer, Immutable, Alias("imactors.EdgeRegistration")]
public sealed record EdgeRegistration(
    [property: Id(0)] IEdgeDelivery Endpoint,
    [property: Id(1)] Guid Incarnation,
    [property: Id(2)] DateTimeOffset LeaseExpiresAt);

/// <summary>
/// One edge's delivery endpoint (key: the edge's stable id). The edge renews its registration well
/// inside the lease; when the lease lapses the edge is taken as gone and grains drop its sessions.
/// </summary>
[Alias("imactors.IEdgeDirectoryGrain")]
public interface IEdgeDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Registers or renews. A new <paramref name="incarnation"/> replaces the previous run of the edge.</summary>
    [Alias("Register")]
    Task Register(IEdgeDelivery endpoint, Guid incarnation, TimeSpan lease);

    /// <summary>Removes the registration if it is still <paramref name="incarnation"/>'s (graceful edge shutdown).</summary>
    [Alias("Unregister")]
    Task Unregister(Guid incarnation);

    /// <summary>The live registration, or null when there is none or its lease has lapsed.</summary>
    [AlwaysInterleave, Alias("Resolve")]
    Task<EdgeRegistration?> Resolve();
}
