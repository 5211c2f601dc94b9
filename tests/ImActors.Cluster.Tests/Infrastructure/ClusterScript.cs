using System.Net;
using System.Text.Json;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// Drives <c>scripts/cluster.sh</c>, the operators' own tool, so the tests exercise it too: every process
/// the tests start or kill is started or killed by the script, in a run directory of their own.
/// </summary>
public sealed class ClusterScript
{
    private readonly Dictionary<string, string> _environment;

    /// <param name="environment">More variables for the script and the processes it starts (e.g. <c>Store__WaitReplicas</c>).</param>
    public ClusterScript(string runDir, string clusterId, IReadOnlyDictionary<string, string>? environment = null)
    {
        RunDir = runDir;
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
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

    /// <summary>
    /// Each running edge's readiness (<c>/health</c>): its status code and the store's state as the cluster check
    /// reports it. A running edge's ports file holds "&lt;tcp port&gt; &lt;http port&gt;".
    /// </summary>
    public async Task<List<EdgeReadiness>> ReadinessAsync()
    {
        var readiness = new List<EdgeReadiness>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var edge in await EdgesAsync())
        {
            var (name, httpPort) = Directory.GetFiles(RunDir, "edge-*.ports")
                .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Ports: File.ReadAllText(f).Split(' ', StringSplitOptions.TrimEntries)))
                .Where(e => e.Ports[0] == edge.Port.ToString()).Select(e => (e.Name, e.Ports[1])).First();
            using var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/health");
            var body = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(body);
            var store = json.RootElement.GetProperty("checks").GetProperty("cluster").GetProperty("data").TryGetProperty("store", out var s) ? s.GetString() : null;
            readiness.Add(new EdgeReadiness(name, edge, response.StatusCode, store, body));
        }

        return readiness;
    }

    /// <summary>
    /// Waits until every edge is ready (its probe went through a silo to the store), so that a drill fails at what it
    /// does to the cluster, not at a cluster still starting.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!(await ReadinessAsync()).All(r => r.Status == HttpStatusCode.OK))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the cluster was not ready {patience.TotalSeconds:0} s after its start:\n" + await RunAsync("status"));
            await Task.Delay(500);
        }
    }

    /// <summary>Every silo the script started, running or not: its name, admin listener and gateway port ("&lt;silo&gt; &lt;gateway&gt; &lt;admin&gt;" in its ports file).</summary>
    public List<SiloAdmin> Silos() =>
        Directory.GetFiles(RunDir, "silo-*.ports").Order()
            .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Ports: File.ReadAllText(f).Split(' ', StringSplitOptions.TrimEntries)))
            .Select(s => new SiloAdmin(s.Name, new Uri($"http://127.0.0.1:{s.Ports[2]}"), int.Parse(s.Ports[1])))
            .ToList();

    /// <summary>The last lines of a process's log (e.g. "edge-2"), for a failure message.</summary>
    public string LogTail(string process, int lines = 40)
    {
        var path = Path.Combine(RunDir, process + ".log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log)";
    }

    /// <summary>What the silos and edges got as <c>Store:Redis</c>: the one server, or every node of a Redis Cluster.</summary>
    public string RedisConnectionString => File.ReadAllText(Path.Combine(RunDir, "redis.address")).Trim();

    /// <summary>The configuration these tests were built in: the test assembly lives in bin/&lt;Configuration&gt;/&lt;framework&gt;/.</summary>
    public static string BuildConfiguration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}

public sealed record EdgeReadiness(string Name, Uri Edge, HttpStatusCode Status, string? Store, string Body);

public sealed record SiloAdmin(string Name, Uri Admin, int GatewayPort);
