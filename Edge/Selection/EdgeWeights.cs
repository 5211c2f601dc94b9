using ImActors.Grains.Interfaces.Edges;

namespace ImActors.Edge.Selection;

/// <summary>
/// How much of the new connections an edge should take, from its load: 0 (left out) when it is not ready or full;
/// otherwise its free share of connections times its idle share of CPU, divided by one plus its refusals per second,
/// on a scale of 1-100. Clients spread their connections over the edges in proportion to these weights (smooth weighted
/// round robin, docs/protocol.md "Choosing an edge").
/// </summary>
public static class EdgeWeights
{
    public const int Max = 100;

    public static int Of(EdgeLoad load)
    {
        if (!load.Ready || load.MaxConnections <= 0 || load.Connections >= load.MaxConnections)
        {
            return 0;
        }

        var free = 1 - (double)load.Connections / load.MaxConnections;
        // CPU is capped so that a busy but otherwise free edge keeps a weight: the figure is noisy over a few seconds.
        var idle = 1 - Math.Clamp(load.Cpu, 0, 0.9);
        var weight = Max * free * idle / (1 + Math.Max(0, load.RefusalsPerSecond));
        return Math.Clamp((int)Math.Round(weight), 1, Max);
    }
}
