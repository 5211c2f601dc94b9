using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ImActors.Bench.Cli;
using ImActors.Bench.Scenarios;

namespace ImActors.Bench.Tests;

/// <summary>A scenario run without options runs what docs/benchmarks.md says it runs.</summary>
public sealed partial class DocumentedDefaultsTests
{
    [Fact]
    public void EveryDefaultInTheScenarioTables_IsTheOptionsDefault()
    {
        var commands = BenchCommand.Create().Subcommands.ToDictionary(c => c.Name);
        var documentedScenarios = new List<string>();
        foreach (var line in File.ReadLines(Repository.PathOf("docs", "benchmarks.md")))
        {
            // | `direct` | `--pairs` (200) `--rate` sends/s in all (1000) ... | reports |
            if (ScenarioRow().Match(line) is not { Success: true } row)
            {
                continue;
            }

            var command = commands[row.Groups["scenario"].Value];
            documentedScenarios.Add(command.Name);
            foreach (Match documented in DocumentedDefault().Matches(row.Groups["options"].Value))
            {
                var name = documented.Groups["option"].Value;
                var option = command.Options.SingleOrDefault(o => o.Name == name);
                Assert.True(option is { HasDefaultValue: true }, $"{command.Name}: docs/benchmarks.md lists {name} with a default; the command has none");
                Assert.True(
                    double.Parse(documented.Groups["default"].Value, CultureInfo.InvariantCulture) == Convert.ToDouble(option.GetDefaultValue(), CultureInfo.InvariantCulture),
                    $"{command.Name} {name}: docs/benchmarks.md says {documented.Groups["default"].Value}, the command {option.GetDefaultValue()}");
            }
        }

        // Every scenario has its row (if this fails, the tables' layout may have changed rather than a scenario gone missing).
        Assert.Equal(ScenarioCommands.All().Select(c => c.Name).Order(), documentedScenarios.Order());
    }

    [Fact]
    public void Direct_WithoutOptions_RunsTheDocumentedLoad() =>
        Assert.Equal(
            new DirectOptions(Pairs: 200, Rate: 1000, Duration: TimeSpan.FromSeconds(10), Warmup: TimeSpan.FromSeconds(30), Size: 100, Idle: 0, Alloc: false),
            DirectOptions.Read(BenchCommand.Parse(["direct"])));

    [Fact]
    public void Connections_WithoutOptions_UsesOneGeneratorPer15000Connections()
    {
        Assert.Equal(new ConnectionsOptions(1000, 1, TimeSpan.FromSeconds(10), 64, Settle: TimeSpan.FromSeconds(2)), ConnectionsOptions.Read(BenchCommand.Parse(["connections"])));
        Assert.Equal(3, ConnectionsOptions.Read(BenchCommand.Parse(["connections", "--count", "30001"])).Generators);
    }

    [Fact]
    public void CommonOptions_WithoutOptions_StartOneImActorsEdgeWithTheDevelopmentSecret()
    {
        var server = CommonOptions.Read(BenchCommand.Parse(["direct"]), defaultEdges: 1, scenarioSettings: []);

        Assert.Equal(("imactors", 1, Protocol.ProtocolDefaults.DevelopmentTokenSecret), (server.Target, server.Edges, server.Secret));
        Assert.Empty(server.Urls);
        Assert.Empty(server.Settings);
        Assert.False(server.KeepData);
    }

    [GeneratedRegex(@"^\| `(?<scenario>[a-z-]+)`[^|]*\| (?<options>[^|]*`--[^|]*) \|")]
    private static partial Regex ScenarioRow();

    // `--warmup` per step (1), but not `--generators` processes (1 per 15,000): only a plain number is a default.
    [GeneratedRegex(@"`(?<option>--[a-z0-9-]+)`[^`(]*\((?<default>[0-9][0-9.]*)\)")]
    private static partial Regex DocumentedDefault();
}
