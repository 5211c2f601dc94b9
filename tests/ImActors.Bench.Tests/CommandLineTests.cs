using ImActors.Bench.Cli;
using ImActors.Bench.Scenarios;

namespace ImActors.Bench.Tests;

/// <summary>
/// The tool's command line, parsed in this process: every scenario takes its own options and the common ones,
/// and anything else is one line of error before a server starts.
/// </summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "direct", "--no-such-option", "1" }, "unknown option --no-such-option for 'direct'")]
    [InlineData(new[] { "direct", "--no-such-option=1" }, "unknown option --no-such-option for 'direct'")]
    // Another scenario's option is no option of this one: a typo never silently runs the defaults.
    [InlineData(new[] { "direct", "--clients", "5" }, "unknown option --clients for 'direct'")]
    [InlineData(new[] { "restart", "--rate", "5" }, "unknown option --rate for 'restart'")]
    [InlineData(new[] { "direct", "5" }, "unexpected argument '5': options look like --name value")]
    [InlineData(new[] { "warp", "--rate", "1" }, "unknown scenario 'warp': use connections, direct, group, big-group, reconnect-storm, restart, flood, presence, ramp (or relay, summarize)")]
    public void UnknownInput_IsRefusedByName(string[] args, string error) =>
        Assert.Equal(error, BenchCommand.Error(BenchCommand.Parse(args)));

    [Theory]
    [InlineData(new[] { "direct", "--rate", "fast" }, "option --rate: 'fast' is not a number")]
    [InlineData(new[] { "direct", "--pairs", "2.5" }, "option --pairs: '2.5' is not an integer")]
    [InlineData(new[] { "direct", "--pairs", "0" }, "option --pairs: 0 is outside 1..2147483647")]
    [InlineData(new[] { "ramp", "--factor=11" }, "option --factor: 11 is outside 1.01..10")]
    [InlineData(new[] { "direct", "--rate" }, "option --rate needs a value")]
    [InlineData(new[] { "direct", "--rate", "--pairs", "3" }, "option --rate needs a value")]
    [InlineData(new[] { "direct", "--pairs", "1", "--pairs", "2" }, "option --pairs given twice")]
    [InlineData(new[] { "direct", "--urls", "a:1", "--urls", "b:1" }, "option --urls given twice")]
    public void BadValue_IsRefusedInOneLine(string[] args, string error)
    {
        var message = BenchCommand.Error(BenchCommand.Parse(args));

        Assert.Equal(error, message);
        Assert.DoesNotContain('\n', message!);
    }

    [Fact]
    public void NoScenario_GetsTheUsage() =>
        Assert.StartsWith("usage: ImActors.Bench <scenario>", BenchCommand.Error(BenchCommand.Parse([])), StringComparison.Ordinal);

    [Fact]
    public void NameEqualsValue_ReadsAsTheTwoArgumentForm()
    {
        var equals = DirectOptions.Read(Parsed("direct", "--pairs=5", "--rate=250.5", "--duration=0.5", "--alloc"));
        var separate = DirectOptions.Read(Parsed("direct", "--pairs", "5", "--rate", "250.5", "--duration", "0.5", "--alloc"));

        Assert.Equal(separate, equals);
        Assert.Equal(new DirectOptions(5, 250.5, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), 100, 0, Alloc: true), equals);
    }

    [Theory]
    [InlineData("connections")]
    [InlineData("direct")]
    [InlineData("group")]
    [InlineData("big-group")]
    [InlineData("reconnect-storm")]
    [InlineData("restart")]
    [InlineData("flood")]
    [InlineData("presence")]
    [InlineData("ramp")]
    public void EveryScenario_TakesTheCommonOptions_AsScriptsPassThem(string scenario)
    {
        // scripts/bench.sh puts --target first and --server-cpus last.
        var parse = Parsed(scenario, "--target", "imactors-node", "--edges", "1", "--token-secret", "s", "--keep-data",
            "--server-config", "Store:CheckpointSeconds=0,Store:AofSizeLimit=", "--server-cpus", "0");

        var server = CommonOptions.Read(parse, defaultEdges: 1, scenarioSettings: []);

        Assert.Equal(("imactors-node", "imactors", 1, "0", "s", true), (server.Target, server.Kind, server.Edges, server.Cpus, server.Secret, server.KeepData));
        Assert.Equal(["Store:CheckpointSeconds=0", "Store:AofSizeLimit="], server.Settings);
    }

    [Fact]
    public void AttachedServers_AreCommaSeparatedLists()
    {
        var server = CommonOptions.Read(Parsed("direct", "--urls", "127.0.0.1:7401,127.0.0.1:7402", "--server-pids", "edge:1,silo:2"), 1, []);

        Assert.Equal(["127.0.0.1:7401", "127.0.0.1:7402"], server.Urls);
        Assert.Equal(["edge:1", "silo:2"], server.Pids);
    }

    [Theory]
    [InlineData("mqtt")]
    [InlineData("nats")]
    public void UnknownTarget_IsRefusedBeforeAnythingStarts(string target)
    {
        var e = Assert.Throws<BenchUsageException>(() => CommonOptions.Read(Parsed("direct", "--target", target), 1, []));

        Assert.Equal($"unknown --target '{target}': use imactors, imactors-redis, imactors-redis-cluster, imactors-node, imactors-node-nowait, imactors-events, " +
                     "imactors-node-events, imactors-mqtt, signalr-user, signalr-group, mosquitto or relay", e.Message);
    }

    [Fact]
    public void ImActorsOverMqtt_IsTheSingleProcessNodeWithItsMqttListener()
    {
        var server = CommonOptions.Read(Parsed("ramp", "--target", "imactors-mqtt"), 1, []);

        Assert.Equal(("imactors", true, true), (server.Kind, server.SingleProcess, server.Mqtt));
    }

    [Fact]
    public void Mosquitto_TakesNoServerSettings()
    {
        var e = Assert.Throws<BenchUsageException>(
            () => CommonOptions.Read(Parsed("direct", "--target", "mosquitto", "--server-config", "Store:CommitWait=false"), 1, []));

        Assert.Equal("mosquitto takes no server settings: only ImActors processes the tool starts do", e.Message);
    }

    [Theory]
    [InlineData(new[] { "--target", "imactors" }, "embedded", "")]
    [InlineData(new[] { "--target", "imactors-redis" }, "redis", "")]
    [InlineData(new[] { "--target", "imactors-redis-cluster" }, "redis-cluster:3", "Store:Sharded=true")]
    [InlineData(new[] { "--target", "imactors-redis-cluster", "--redis-shards", "5" }, "redis-cluster:5", "Store:Sharded=true")]
    public void SiloAndEdgeTargets_NameTheirStore(string[] args, string store, string settings)
    {
        var server = CommonOptions.Read(Parsed(["ramp", .. args]), 1, []);

        Assert.Equal(("imactors", store, settings), (server.Kind, server.Store.ToString(), string.Join(',', server.Settings)));
    }

    [Theory]
    [InlineData(new[] { "--target", "imactors-redis", "--redis-shards", "3" }, "--redis-shards is for --target imactors-redis-cluster, not imactors-redis")]
    [InlineData(new[] { "--target", "imactors-node", "--redis-shards", "3" }, "--redis-shards is for --target imactors-redis-cluster, not imactors-node")]
    [InlineData(new[] { "--target", "imactors-redis-cluster", "--urls", "127.0.0.1:7401", "--server-pids", "edge:1" },
        "imactors-redis-cluster starts its own Redis: attach to a running cluster with --target imactors and --urls")]
    public void RedisShardsAndAttaching_OnlyWhereTheyMeanSomething(string[] args, string error) =>
        Assert.Equal(error, Assert.Throws<BenchUsageException>(() => CommonOptions.Read(Parsed(["direct", .. args]), 1, [])).Message);

    [Fact]
    public void RedisShards_OutOfRange_IsRefusedInOneLine() =>
        Assert.Equal("option --redis-shards: 10 is outside 1..9",
            BenchCommand.Error(BenchCommand.Parse(["ramp", "--target", "imactors-redis-cluster", "--redis-shards", "10"])));

    [Fact]
    public void Summarize_TakesTheRunFilesAsTyped()
    {
        // Everything after summarize is a file, even a name that looks like an option or a response file.
        var parse = Parsed("summarize", "run-1.json", "@run-2.json", "--run-3.json");

        Assert.Equal(["run-1.json", "@run-2.json", "--run-3.json"], parse.GetValue<string[]>("files")!);
    }

    [Fact]
    public void ConnectionsWorker_TakesWhatTheConnectionsScenarioPasses()
    {
        var parse = BenchCommand.Parse(
        [
            "connections-worker", "--target", "imactors", "--urls", "127.0.0.1:7401,127.0.0.1:7402", "--first", "15000",
            "--count", "15000", "--source", "1", "--prefix", "b1a2b3c", "--concurrency", "64",
        ]);

        Assert.Null(BenchCommand.Error(parse));
    }

    private static System.CommandLine.ParseResult Parsed(params string[] args)
    {
        var parse = BenchCommand.Parse(args);
        Assert.Null(BenchCommand.Error(parse));
        return parse;
    }
}
