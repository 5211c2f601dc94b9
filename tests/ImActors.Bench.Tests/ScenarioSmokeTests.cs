using System.Text.Json;

namespace ImActors.Bench.Tests;

/// <summary>
/// Each scenario once, small and short, against real servers the tool starts itself. One class, so the
/// runs go one after another: each starts a silo and edges or a peer, and two cores hold one at a time.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class ScenarioSmokeTests
{
    [Fact]
    public async Task Direct_AgainstImActors_DeliversEveryMessageAndReportsLatencyAndCpu()
    {
        var run = await BenchTool.RunAsync("direct", "--target", "imactors", "--pairs", "5", "--rate", "200", "--duration", "2", "--warmup", "1");
        var json = Succeeded(run, "direct", "imactors");
        var results = json.GetProperty("results");
        Assert.Equal(400, results.GetProperty("sends").GetInt64());
        Assert.Equal(400, results.GetProperty("delivered").GetInt64());
        Assert.Equal(0, results.GetProperty("errors").GetInt64());
        Assert.True(results.GetProperty("p99_ms").GetDouble() > 0);
        Assert.True(results.GetProperty("server_cpu_us_per_msg").GetDouble() > 0);
    }

    [Theory]
    [InlineData("imactors-node")]
    [InlineData("imactors-node-nowait")]
    [InlineData("imactors-node-events")]
    public async Task Direct_AgainstTheSingleProcessNode_DeliversEveryMessageAndTimesTheAcks(string target)
    {
        var run = await BenchTool.RunAsync(
            "direct", "--target", target, "--pairs", "5", "--rate", "200", "--duration", "2", "--warmup", "1");
        var results = Succeeded(run, "direct", target).GetProperty("results");
        Assert.Equal(400, results.GetProperty("delivered").GetInt64());
        Assert.Equal(0, results.GetProperty("errors").GetInt64());
        Assert.True(results.GetProperty("node_cpu_us_per_msg").GetDouble() > 0);
        Assert.True(results.GetProperty("ack_p99_ms").GetDouble() > 0);
        var expectedConfig = target switch
        {
            "imactors-node-nowait" => "Store:CommitWait=false",
            "imactors-node-events" => "Events:Enabled=true",
            _ => null,
        };
        Assert.Equal(expectedConfig, results.TryGetProperty("server_config", out var config) ? config.GetString() : null);
    }

    [Fact]
    public async Task Presence_EveryLoginReachesEachOfItsWatchers_AndIsTimed()
    {
        var run = await BenchTool.RunAsync(
            "presence", "--target", "imactors-node", "--users", "40", "--watches", "5", "--churn", "10", "--duration", "2", "--warmup", "1", "--session", "0.5");
        var results = Succeeded(run, "presence", "imactors-node").GetProperty("results");
        // Each watched user has exactly --watches watchers, so each measured login is pushed to that many.
        Assert.Equal(5, results.GetProperty("pushes_per_login").GetDouble());
        Assert.True(results.GetProperty("pushes_per_s").GetDouble() > 0);
        Assert.True(results.GetProperty("login_to_push_p99_ms").GetDouble() > 0);
        Assert.True(results.GetProperty("server_cpu_us_per_change").GetDouble() > 0);
        Assert.Equal(0, results.GetProperty("login_failures").GetInt64());
        Assert.Equal(0, results.GetProperty("errors").GetInt64());
    }

    [Theory]
    [InlineData("imactors-redis", "redis")]
    [InlineData("imactors-redis-cluster", "redis-cluster:3")]
    public async Task Direct_AgainstASiloOnRedis_StartsTheStore_AndMeasuresItsNodes(string target, string store)
    {
        var run = await BenchTool.RunAsync("direct", "--target", target, "--pairs", "5", "--rate", "200", "--duration", "2", "--warmup", "1");
        var results = Succeeded(run, "direct", target).GetProperty("results");
        Assert.Equal(400, results.GetProperty("delivered").GetInt64());
        Assert.Equal(0, results.GetProperty("errors").GetInt64());
        Assert.Equal(store, results.GetProperty("store").GetString());
        Assert.True(results.GetProperty("redis_cpu_us_per_msg").GetDouble() > 0);
        // A cluster's replicas are measured apart from its masters.
        Assert.Equal(target == "imactors-redis-cluster", results.TryGetProperty("replica_cpu_us_per_msg", out _));
    }

    [Fact]
    public async Task Restart_AfterAKill_EveryAckedMessageIsBack()
    {
        var run = await BenchTool.RunAsync(
            "restart", "--target", "imactors-node", "--messages", "400", "--senders", "4", "--inboxes", "20", "--settle", "0.5");
        var results = Succeeded(run, "restart", "imactors-node").GetProperty("results");
        Assert.True(results.GetProperty("data_back_s").GetDouble() >= results.GetProperty("welcome_s").GetDouble());
        Assert.Equal(24, results.GetProperty("inboxes_checked").GetInt32());
        Assert.Equal(0, results.GetProperty("inboxes_short").GetInt32());
        Assert.Equal(0, results.GetProperty("last_acked_missing").GetInt32());
        Assert.True(results.GetProperty("before_kill_aof_mib").GetDouble() > 0);
        Assert.True(results.GetProperty("aof_replayed_records").GetInt64() > 0);
    }

    [Theory]
    [InlineData("signalr-user")]
    [InlineData("signalr-group")]
    [InlineData("relay")]
    public async Task Direct_AgainstPeersAndRelay_RunsTheSameScenario(string target)
    {
        var run = await BenchTool.RunAsync("direct", "--target", target, "--pairs", "5", "--rate", "200", "--duration", "1", "--warmup", "0.5");
        var results = Succeeded(run, "direct", target).GetProperty("results");
        Assert.Equal(200, results.GetProperty("delivered").GetInt64());
        Assert.True(results.TryGetProperty("p999_ms", out _));
    }

    [Theory]
    [InlineData("imactors-mqtt", "node")]
    [InlineData("mosquitto", "mosquitto")]
    public async Task Direct_OverMqtt_DeliversEveryMessageAndTimesThePubacks(string target, string role)
    {
        var run = await BenchTool.RunAsync("direct", "--target", target, "--pairs", "5", "--rate", "200", "--duration", "2", "--warmup", "1");
        var results = Succeeded(run, "direct", target).GetProperty("results");
        Assert.Equal(400, results.GetProperty("delivered").GetInt64());
        Assert.Equal(0, results.GetProperty("errors").GetInt64());
        Assert.True(results.GetProperty("ack_p99_ms").GetDouble() > 0);
        Assert.True(results.GetProperty($"{role}_cpu_us_per_msg").GetDouble() > 0);
    }

    [Theory]
    [InlineData("imactors-mqtt", "node")]
    [InlineData("mosquitto", "mosquitto")]
    public async Task Connections_OverMqtt_HoldsThemAll(string target, string role)
    {
        var run = await BenchTool.RunAsync("connections", "--target", target, "--count", "50", "--generators", "2", "--hold", "1");
        var results = Succeeded(run, "connections", target).GetProperty("results");
        Assert.Equal((50, 0), (results.GetProperty("connections").GetInt32(), results.GetProperty("failed").GetInt32()));
        Assert.True(results.TryGetProperty($"{role}_rss_per_connection_kib", out _));
    }

    [Fact]
    public async Task Ramp_ReportsTheHighestRateHeldAndEveryStep()
    {
        var run = await BenchTool.RunAsync(
            "ramp", "--target", "relay", "--pairs", "5", "--start-rate", "100", "--factor", "2", "--max-rate", "400",
            "--step-duration", "1", "--warmup", "0.5", "--settle", "1", "--p99-ms", "1000");
        var json = Succeeded(run, "ramp", "relay");
        Assert.Equal(400, json.GetProperty("results").GetProperty("highest_rate_held").GetDouble());
        Assert.Equal(3, json.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task Group_AgainstSignalR_CountsEveryDelivery()
    {
        var run = await BenchTool.RunAsync(
            "group", "--target", "signalr-group", "--groups", "2", "--members", "5", "--rate", "50", "--duration", "1", "--warmup", "0.5");
        var results = Succeeded(run, "group", "signalr-group").GetProperty("results");
        Assert.Equal(50 * 4, results.GetProperty("delivered").GetInt64());
        Assert.True(results.TryGetProperty("delivery_per_s", out _));
        Assert.True(results.TryGetProperty("server_cpu_us_per_delivery", out _));
    }

    [Fact]
    public async Task BigGroup_BuildsTheGroupInBatches_AndMeasuresBothGroups()
    {
        var run = await BenchTool.RunAsync(
            "big-group", "--target", "imactors", "--members", "2500", "--online", "2", "--messages", "10", "--rate", "50");
        var results = Succeeded(run, "big-group", "imactors").GetProperty("results");
        Assert.Equal(3, results.GetProperty("build_batches").GetInt64());
        Assert.Equal(10 * 2, results.GetProperty("big_deliveries").GetInt64());
        Assert.True(results.GetProperty("big_ack_p50_ms").GetDouble() > 0);
        Assert.True(results.GetProperty("base_delivery_p99_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Group_AgainstImActors_CountsEveryDelivery()
    {
        var run = await BenchTool.RunAsync(
            "group", "--target", "imactors", "--groups", "2", "--members", "5", "--rate", "50", "--duration", "1", "--warmup", "0.5");
        Assert.Equal(50 * 4, Succeeded(run, "group", "imactors").GetProperty("results").GetProperty("delivered").GetInt64());
    }

    [Fact]
    public async Task Group_AgainstTheRelay_SaysInOneLineThatItHasNoGroups()
    {
        var run = await BenchTool.RunAsync("group", "--target", "relay", "--groups", "1", "--members", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: group scenario against relay: the relay has no groups", run.StdErr.Trim());
    }

    [Fact]
    public async Task Connections_HoldsThemFromSeveralGeneratorsOverSeveralEdges()
    {
        var run = await BenchTool.RunAsync("connections", "--target", "imactors", "--count", "300", "--generators", "2", "--edges", "2", "--hold", "1");
        var results = Succeeded(run, "connections", "imactors").GetProperty("results");
        Assert.Equal(300, results.GetProperty("connections").GetInt32());
        Assert.Equal(2, results.GetProperty("generators").GetInt32());
        Assert.Equal(2, results.GetProperty("edges").GetInt32());
        Assert.True(results.GetProperty("edge_rss_mib").GetDouble() > 0);
        Assert.True(results.TryGetProperty("silo_rss_per_connection_kib", out _));
        Assert.True(results.TryGetProperty("idle_server_cores", out _));
    }

    [Fact]
    public async Task Connections_OverTls_HoldsThemAll()
    {
        var run = await BenchTool.RunAsync("connections", "--target", "imactors", "--count", "5", "--hold", "1", "--tls");
        var results = Succeeded(run, "connections", "imactors").GetProperty("results");
        Assert.Equal((5, 0, true), (results.GetProperty("connections").GetInt32(), results.GetProperty("failed").GetInt32(), results.GetProperty("tls").GetBoolean()));
        Assert.True(results.TryGetProperty("edge_rss_per_connection_kib", out _));
    }

    [Fact]
    public async Task ReconnectStorm_EveryClientSyncsEveryUnreadMessage()
    {
        var run = await BenchTool.RunAsync("reconnect-storm", "--target", "imactors", "--clients", "100", "--unread", "3");
        var results = Succeeded(run, "reconnect-storm", "imactors").GetProperty("results");
        Assert.Equal(100, results.GetProperty("clients_fully_synced").GetInt32());
        Assert.Equal(300, results.GetProperty("messages_synced").GetInt64());
        Assert.True(results.GetProperty("seconds_until_all_synced").GetDouble() > 0);
    }

    [Theory]
    [InlineData("direct", "--pairs", "0")]
    [InlineData("direct", "--rate", "fast")]
    [InlineData("direct", "--no-such-option", "1")]
    [InlineData("warp", "--rate", "1")]
    [InlineData("direct", "--target", "nats")]
    [InlineData("reconnect-storm", "--target", "mqtt")]
    [InlineData("group", "--target", "mosquitto", "--groups", "1", "--members", "2")]
    [InlineData("direct", "--target", "imactors-node", "--edges", "2")]
    [InlineData("direct", "--target", "imactors-node", "--server-config", "CommitWait")]
    [InlineData("direct", "--target", "relay", "--server-config", "Store:CommitWait=false")]
    public async Task BadInput_GetsOneLineAndANonZeroExit(params string[] args)
    {
        var run = await BenchTool.RunAsync(args);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.StartsWith("error: ", run.StdErr, StringComparison.Ordinal);
    }

    private static JsonElement Succeeded(BenchTool.Run run, string scenario, string target)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StdErr}");
        var json = run.Json();
        Assert.Equal(scenario, json.GetProperty("scenario").GetString());
        Assert.Equal(target, json.GetProperty("target").GetString());
        Assert.Contains(scenario, json.GetProperty("command").GetString(), StringComparison.Ordinal);
        var machine = json.GetProperty("machine");
        Assert.True(machine.GetProperty("Cores").GetInt32() > 0);
        Assert.True(machine.GetProperty("MemoryBytes").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("Os").GetString()));
        Assert.StartsWith(".NET", machine.GetProperty("Dotnet").GetString(), StringComparison.Ordinal);
        return json;
    }
}
