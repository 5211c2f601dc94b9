using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Edges;

/// <summary>One edge's load as it reported it: where clients reach it and how busy it is.</summary>
[GenerateSerializer, Immutable, Alias("imactors.EdgeLoad")]
public sealed record EdgeLoad(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string? Tcp,
    [property: Id(2)] string? WebSocket,
    [property: Id(3)] int Connections,
    [property: Id(4)] int MaxConnections,
    [property: Id(5)] double Cpu,
    [property: Id(6)] double RefusalsPerSecond,
    [property: Id(7)] bool Ready);

/// <summary>
/// The loads the edges report every few seconds (key 0: one for the cluster), kept in memory only: a silo lost takes
/// them with it and the next reports, seconds later, bring them back. An edge that stops reporting drops out after
/// <see cref="Expiry"/>. What clients' edge selection reads (<c>GET /edges</c>). For the system.
/// </summary>
[Alias("imactors.IEdgeLoadGrain")]
public interface IEdgeLoadGrain : IGrainWithIntegerKey
{
    /// <summary>How long a report stands without the next one.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(6);

    [Alias("Report")]
    Task Report(EdgeLoad load);

    /// <summary>The edge is stopping: out of the list at once rather than after the expiry.</summary>
    [Alias("Remove")]
    Task Remove(string edgeId);

    /// <summary>The edges that reported within the expiry.</summary>
    [AlwaysInterleave, Alias("Live")]
    Task<EdgeLoad[]> Live();
}
