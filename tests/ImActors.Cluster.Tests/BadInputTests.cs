using ImActors.Cluster.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>The operators' commands refuse bad input with one line on stderr and exit code 2, and touch nothing.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class BadInputTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("kill-silo", "x")]
    [InlineData("start", "--silos", "0")]
    [InlineData("start", "--edges")]
    [InlineData("status")] // no cluster in the run directory
    [InlineData("start-edge")]
    [InlineData("start", "--redis-shards", "0")]
    [InlineData("start", "--redis-shards", "many")]
    [InlineData("kill-redis-master")] // no cluster in the run directory
    public Task ClusterScript_RefusesBadInput(params string[] args) =>
        AssertScriptRefusesWithoutTouchingItsDirectory("cluster.sh", "IMACTORS_CLUSTER_DIR", args);

    [Theory]
    [InlineData("bogus")]
    [InlineData("start", "--data")]
    [InlineData("start", "--frobnicate")]
    [InlineData("kill")] // no node in the run directory
    [InlineData("restart")]
    public Task NodeScript_RefusesBadInput(params string[] args) =>
        AssertScriptRefusesWithoutTouchingItsDirectory("node.sh", "IMACTORS_NODE_DIR", args);

    [Theory]
    [InlineData("--minutes", "0")]
    [InlineData("--rate", "fast")]
    [InlineData("--what")]
    [InlineData("--redis-shards", "10")]
    public async Task ChaosScript_RefusesBadInput(params string[] args)
    {
        var (exit, output) = await ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "chaos.sh"), .. args]);

        AssertOneLineError(exit, output);
    }

    [Theory]
    [InlineData]
    [InlineData("not-an-edge")]
    [InlineData("http://127.0.0.1:7400")]
    [InlineData("tcp://127.0.0.1:7400", "--clients", "1")]
    [InlineData("tcp://127.0.0.1:7400", "--duration", "soon")]
    [InlineData("tcp://127.0.0.1:7400", "--workload", "nonsense")]
    [InlineData("tcp://127.0.0.1:7400", "--rate")]
    [InlineData("tcp://127.0.0.1:7400", "--frobnicate", "1")]
    public async Task Verifier_RefusesBadInput(params string[] args)
    {
        var verifier = Repository.PathOf("tools", "ImActors.Verifier", "bin", ClusterScript.BuildConfiguration, "net10.0", "ImActors.Verifier.dll");

        var (exit, output) = await ProcessRunner.RunAsync("dotnet", [verifier, .. args]);

        AssertOneLineError(exit, output);
    }

    private static async Task AssertScriptRefusesWithoutTouchingItsDirectory(string script, string directoryVariable, string[] args)
    {
        var empty = Directory.CreateTempSubdirectory("imactors-badinput-").FullName;
        try
        {
            var (exit, output) = await ProcessRunner.RunAsync(
                "bash", [Repository.PathOf("scripts", script), .. args], new Dictionary<string, string> { [directoryVariable] = empty });

            AssertOneLineError(exit, output);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private static void AssertOneLineError(int exit, string output)
    {
        Assert.True(exit == 2, $"exit {exit}: {output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines is [var line] && line.StartsWith("error: ", StringComparison.Ordinal), $"expected one error line, got:\n{output}");
    }
}
