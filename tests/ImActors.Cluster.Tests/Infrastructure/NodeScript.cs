using System.Globalization;
using System.Text.RegularExpressions;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// Drives <c>scripts/node.sh</c>, the operators' tool for one single-node process (silo, embedded store and
/// edge), so the tests start, kill and restart the node exactly as a drill by hand does, in a run directory
/// of their own.
/// </summary>
public sealed partial class NodeScript
{
    private readonly Dictionary<string, string> _environment;

    /// <param name="settings">Configuration for the node, as environment variables (<c>Inbox__MaxEntries</c>, ...).</param>
    public NodeScript(string runDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        RunDir = runDir;
        _environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["IMACTORS_NODE_DIR"] = runDir,
            // The dlls of the build these tests belong to (Debug under `dotnet test`).
            ["IMACTORS_CONFIGURATION"] = ClusterScript.BuildConfiguration,
        };
    }

    public string RunDir { get; }

    /// <summary>Runs one command of the script; fails the test with the script's output if it fails.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var (exit, output) = await TryRunAsync(args);
        // The run directory goes with the fixture, so the end of the node's log comes with the failure.
        Assert.True(exit == 0, $"node.sh {string.Join(' ', args)} exited with {exit}:\n{output}\nend of node.log:\n{string.Join('\n', LogTail(40))}");
        return output;
    }

    public Task<(int Exit, string Output)> TryRunAsync(params string[] args) =>
        ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "node.sh"), .. args], _environment);

    /// <summary>The edge's client addresses as the script reports them: TCP, then WebSocket.</summary>
    public async Task<List<Uri>> EdgesAsync() =>
        (await RunAsync("edges")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => new Uri(e)).ToList();

    /// <summary>Starts the stopped node again on its ports and data; returns how long it took to accept clients, as the script measured it.</summary>
    public async Task<TimeSpan> RestartAsync()
    {
        var output = await RunAsync("restart");
        var ready = ReadyIn().Match(output);
        Assert.True(ready.Success, "node.sh restart did not say when the node was ready:\n" + output);
        return TimeSpan.FromSeconds(double.Parse(ready.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The edge's liveness endpoint (on its HTTP port, the WebSocket one): what the edge holds, answered whatever the
    /// cluster does (readiness, <c>/health</c>, answers 503 while the node is too busy to answer its probe in time).
    /// </summary>
    public async Task<Uri> LiveHealthAsync() => new($"http://{(await EdgesAsync()).Single(e => e.Scheme == "ws").Authority}/health/live");

    public IEnumerable<string> LogTail(int lines)
    {
        var log = Path.Combine(RunDir, "node.log");
        return File.Exists(log) ? File.ReadLines(log).TakeLast(lines) : [];
    }

    /// <summary>The first error entries of the node's log (all its runs), each with its message line.</summary>
    public IEnumerable<string> ErrorsInLog(int max)
    {
        var log = Path.Combine(RunDir, "node.log");
        if (!File.Exists(log))
        {
            return [];
        }

        var lines = File.ReadAllLines(log);
        return lines
            .Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
            .Take(max)
            .Select(l => l.i + 1 < lines.Length ? $"{l.line} {lines[l.i + 1].Trim()}" : l.line);
    }

    [GeneratedRegex(@"ready in ([0-9]+\.[0-9]+) s")]
    private static partial Regex ReadyIn();
}
