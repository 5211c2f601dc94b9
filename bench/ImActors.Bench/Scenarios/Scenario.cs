using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// One benchmark command. Its options are read (and checked) before it is made, so bad input costs a
/// one-line error and no server start-up; see <see cref="Cli.ScenarioCommands"/>.
/// </summary>
public abstract class Scenario
{
    public abstract string Name { get; }

    /// <summary>Edges to start when the tool starts an ImActors node itself.</summary>
    public virtual int DefaultEdges => 1;

    /// <summary>Configuration the scenario needs of the ImActors processes the tool starts (Section:Key=value).</summary>
    public virtual IReadOnlyList<string> ServerSettings => [];

    public abstract Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken);
}
