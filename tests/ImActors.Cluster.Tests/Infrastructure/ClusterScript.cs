using System.Diagnostics;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// Drives <c>scripts/cluster.sh</c>, the operators' own tool, so the tests exercise it too: every process
/// the tests start or kill is started or killed by the script, in a run directory of their own.
/// </summary>
public sealed class ClusterScript
{
    private readonly string _root;
    private readonly Dictionary<string, string> _environment;

    public ClusterScript(string runDir, string clusterId)
    {
        _root = RepositoryRoot();
        RunDir = runDir;
        _environment = new Dictionary<string, string>
        {
            ["IMACTORS_CLUSTER_DIR"] = runDir,
            ["IMACTORS_CLUSTER_ID"] = clusterId,
            // The dlls of the build these tests belong to (Debug under `dotnet test`).
            ["IMACTORS_CONFIGURATION"] = BuildConfiguration(),
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

    public async Task<(int Exit, string Output)> TryRunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(_root, "scripts", "cluster.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>The edges' client addresses as the script reports them.</summary>
    public async Task<List<Uri>> EdgesAsync() =>
        (await RunAsync("edges")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => new Uri(e)).ToList();

    public string RedisConnectionString => "127.0.0.1:" + File.ReadAllText(Path.Combine(RunDir, "redis.port")).Trim();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (ImActors.sln) above " + AppContext.BaseDirectory);
    }

    // The test assembly lives in bin/<Configuration>/<framework>/.
    private static string BuildConfiguration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
