namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// Drives <c>scripts/cluster.sh</c>, the operators' own tool, so the tests exercise it too: every process
/// the tests start or kill is started or killed by the script, in a run directory of their own.
/// </summary>
public sealed class ClusterScript
{
    private readonly Dictionary<string, string> _environment;

    public ClusterScript(string runDir, string clusterId)
    {
        RunDir = runDir;
        _environment = new Dictionary<string, string>
        {
            ["IMACTORS_CLUSTER_DIR"] = runDir,
            ["IMACTORS_CLUSTER_ID"] = clusterId,
            // The dlls of the build these tests belong to (Debug under `dotnet test`).
            ["IMACTORS_CONFIGURATION"] = BuildConfiguration,
        };
    }

    public string RunDir { get; }

    /// <summary>Runs one command of the script; fails the test with the script's output if it fails.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var (exit, output) = await TryRunAsync(args);
        Assert.True(exit == 0, $"cluster.sh {string.Join(' ', args)} exited with {exit}:\n{output}");
        return output;
    }

    public Task<(int Exit, string Output)> TryRunAsync(params string[] args) =>
        ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "cluster.sh"), .. args], _environment);

    /// <summary>The edges' client addresses as the script reports them.</summary>
    public async Task<List<Uri>> EdgesAsync() =>
        (await RunAsync("edges")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => new Uri(e)).ToList();

    public string RedisConnectionString => "127.0.0.1:" + File.ReadAllText(Path.Combine(RunDir, "redis.port")).Trim();

    /// <summary>The configuration these tests were built in: the test assembly lives in bin/&lt;Configuration&gt;/&lt;framework&gt;/.</summary>
    public static string BuildConfiguration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
