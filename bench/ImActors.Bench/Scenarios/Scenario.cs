using ImActors.Bench.Cli;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// One benchmark command. Options are read (and checked) before anything starts, so bad input costs a
/// one-line error and no server start-up.
/// </summary>
public abstract class Scenario
{
    /// <summary>
    /// Unmeasured load before a steady-state measurement starts (default of --warmup, and of ramp's --settle).
    /// A server pinned to one busy core keeps tiering code up for tens of seconds: shorter measured the JIT
    /// (docs/decisions/0069-grain-types-resolved-once-one-edge-cache.md).
    /// </summary>
    protected const double SteadyStateWarmupSeconds = 30;

    public abstract string Name { get; }

    /// <summary>Edges to start when the tool starts an ImActors node itself.</summary>
    public virtual int DefaultEdges => 1;

    /// <summary>Configuration the scenario needs of the ImActors processes the tool starts (Section:Key=value).</summary>
    public virtual IReadOnlyList<string> ServerSettings => [];

    public abstract void ReadOptions(BenchArguments args);

    public abstract Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken);

    public static Scenario? Create(string command) => command switch
    {
        "direct" => new DirectScenario(),
        "ramp" => new RampScenario(),
        "group" => new GroupScenario(),
        "big-group" => new BigGroupScenario(),
        "connections" => new ConnectionsScenario(),
        "reconnect-storm" => new ReconnectStormScenario(),
        "restart" => new RestartScenario(),
        _ => null,
    };
}
