namespace ImActors.Bench.Tests;

/// <summary>The built tool's help and <c>summarize</c>, run as a process as a user or a script would: no server starts.</summary>
public sealed class HelpAndSummarizeTests
{
    [Fact]
    public async Task Help_ListsEveryScenario()
    {
        var run = await BenchTool.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var scenario in new[] { "connections", "direct", "group", "big-group", "reconnect-storm", "restart", "flood", "presence", "ramp", "relay", "summarize" })
        {
            Assert.Contains($"  {scenario} ", run.StdOut, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("connections-worker", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScenarioHelp_ListsItsOwnOptionsWithDefaults_AndTheCommonOnes()
    {
        var run = await BenchTool.RunAsync("direct", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[default: 200]", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("--target", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("--clients", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summarize_GivesTheMedianOfTheRunFiles_AndTheRatioToThePeer()
    {
        var dir = Directory.CreateTempSubdirectory("imactors-bench-summary-").FullName;
        try
        {
            var files = new List<string>();
            foreach (var (target, rate) in new[] { ("imactors", 900), ("imactors", 1100), ("imactors", 1000), ("signalr-user", 500) })
            {
                var file = Path.Combine(dir, $"{target}-{files.Count}.json");
                await File.WriteAllTextAsync(file, $$$"""
                    direct against {{{target}}}
                    {"scenario":"direct","target":"{{{target}}}","command":"direct --target {{{target}}}","results":{"msg_per_s":{{{rate}}}}}
                    """);
                files.Add(file);
            }

            var run = await BenchTool.RunAsync(["summarize", .. files]);

            Assert.True(run.ExitCode == 0, run.StdErr);
            var json = run.Json();
            Assert.Equal(1000, json.GetProperty("targets").GetProperty("imactors").GetProperty("msg_per_s").GetProperty("median").GetDouble());
            Assert.Equal(2, json.GetProperty("ratios").GetProperty("imactors/signalr-user").GetProperty("msg_per_s").GetDouble());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Summarize_WithoutFiles_SaysSoInOneLine()
    {
        var run = await BenchTool.RunAsync("summarize");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: summarize needs the output files of the runs", run.StdErr.Trim());
    }
}
