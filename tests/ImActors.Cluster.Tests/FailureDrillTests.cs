using System.Net;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Verifier;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The failures the cluster promises to survive, each under a steady 1:1 load from SDK clients spread over
/// both edges, each judged by the verifier's audit: every ACKed message in both inboxes exactly once, seqs
/// gap-free and in order, nothing un-ACKed stored twice.
/// </summary>
[Trait("Tier", "Slow")]
[Collection(LocalClusterCollection.Name)]
public sealed class FailureDrillTests(LocalCluster cluster, ITestOutputHelper output)
{
    // With the store switch on, the drills that reach the store run a second time on a Redis Cluster: the store's restart,
    // a silo killed under load (sends caught between the two steps of a sharded send), the audit's own reads. Those marked Once prove Orleans'
    // handover and the clients' move between edges, which the store's topology does not change (decision 130).

    // A drill that hangs fails instead of holding CI up; a normal one takes under a minute.
    private const int DrillTimeoutMs = 180_000;

    private static readonly TimeSpan Load = TimeSpan.FromSeconds(20);

    // Longest acceptable wait for an ACK through a silo or edge failure. The target is 2 s and drills here
    // measure 0.4-2.6 s (docs/operations.md); the bound leaves room for a loaded CI machine and still fails
    // on what it guards against: a send stuck behind a call to a dead silo (30 s) or a client stuck in backoff.
    private const double MaxRecoveryMs = 8000;
    private static readonly TimeSpan DisruptAfter = TimeSpan.FromSeconds(6);

    [Trait(StoreSwitch.Trait, StoreSwitch.Once)]
    [Fact(Timeout = DrillTimeoutMs)]
    public async Task SiloRemovedGracefully_UnderLoad_NothingIsLostAndSendersBarelyNotice()
    {
        var summary = await DrillAsync(() => cluster.Script.RunAsync("remove-silo"));

        AssertNothingLost(summary);
        // A leaving silo hands its activations over; sends only wait for their grain to reactivate.
        Assert.True(summary.MaxRecoveryMs < MaxRecoveryMs, summary.ToJson());
    }

    [Fact(Timeout = DrillTimeoutMs)]
    public async Task SiloKilled_UnderLoad_SendersGetAcksAgainWithinSecondsAndNothingIsLost()
    {
        var summary = await DrillAsync(() => cluster.Script.RunAsync("kill-silo"));

        AssertNothingLost(summary);
        // Membership declares the silo dead in 1-2 s and the edge retries meanwhile (target: 2 s, measured ~1 s).
        Assert.True(summary.MaxRecoveryMs < MaxRecoveryMs, summary.ToJson());
    }

    [Trait(StoreSwitch.Trait, StoreSwitch.Once)]
    [Fact(Timeout = DrillTimeoutMs)]
    public async Task EdgeKilled_UnderLoad_ClientsMoveToTheOtherEdgeAndNothingIsLost()
    {
        var summary = await DrillAsync(async () =>
        {
            await cluster.Script.RunAsync("kill-edge", "1");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await cluster.Script.RunAsync("start-edge", "1");
        });

        AssertNothingLost(summary);
        Assert.True(summary.MaxRecoveryMs < MaxRecoveryMs, summary.ToJson());
    }

    [Fact(Timeout = DrillTimeoutMs)]
    public async Task RedisRestarted_UnderLoad_SendsWaitForItAndNothingIsLost()
    {
        var duringOutage = HttpStatusCode.OK;
        string? storeDuringOutage = null;
        var summary = await DrillAsync(async () =>
        {
            await cluster.Script.RunAsync("kill-redis");
            await Task.Delay(TimeSpan.FromSeconds(4));
            // The edges' readiness follows the store: down while it is, ok again once it is back.
            (duringOutage, storeDuringOutage) = await HealthAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            await cluster.Script.RunAsync("start-redis");
        });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, duringOutage);
        Assert.Equal("down", storeDuringOutage);
        // Every edge ready again once the silos' store connections are: they reconnect with a backoff of their own,
        // so allow it time.
        await cluster.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));

        // Sends during the outage are refused (retryable) and retried by the clients until Redis is back.
        AssertNothingLost(summary);
        Assert.True(summary.SlowAcks > 0, "the outage should have held some sends back: " + summary.ToJson());
    }

    [Trait(StoreSwitch.Trait, StoreSwitch.Once)]
    [Fact(Timeout = DrillTimeoutMs)]
    public async Task SiloAddedUnderLoad_ReceivesNewActivationsWithinSeconds()
    {
        await cluster.RestoreAsync();
        var load = VerificationRun.RunAsync(await OptionsAsync("a" + Guid.NewGuid().ToString("N")[..7], Load));
        await Task.Delay(DisruptAfter);
        var added = await cluster.Script.RunAsync("add-silo");
        // "silo-N   pid P  silo 127.0.0.1:PORT  gateway ...": the new silo's port, as the census reports silos.
        var port = int.Parse(added.Split("silo 127.0.0.1:")[1].Split(' ')[0]);

        // Placing on the newcomer waits for the other silos to learn of it, and edges see its gateway within
        // Cluster:GatewayListRefreshPeriod (5 s). New users keep arriving, in short verified runs, until some
        // land on it or the deadline passes: how soon depends on the machine, not on a fixed pause.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Dictionary<int, int> users;
        do
        {
            var newcomers = await VerificationRun.RunAsync(await OptionsAsync("n" + Guid.NewGuid().ToString("N")[..7], TimeSpan.FromSeconds(5)));
            AssertNothingLost(newcomers, minimumAcked: 50);
            await using var census = await ActivationCensus.ConnectAsync(cluster.Script.RedisConnectionString, cluster.ClusterId);
            users = await census.CountByPortAsync("UserGrain");
            output.WriteLine($"user grain activations by silo port: {string.Join(", ", users.Select(u => $"{u.Key}={u.Value}"))}; new silo {port}");
        }
        while (users.GetValueOrDefault(port) == 0 && DateTime.UtcNow < deadline);

        AssertNothingLost(await load);
        Assert.True(users.GetValueOrDefault(port) > 0, $"no user grain on the new silo {port}: {string.Join(", ", users)}");
    }

    [Fact(Timeout = DrillTimeoutMs)]
    public async Task Audit_NoticesAMessageRemovedFromTheStore()
    {
        await cluster.RestoreAsync();
        var runId = "cut" + Guid.NewGuid().ToString("N")[..6];
        var options = await OptionsAsync(runId, TimeSpan.FromSeconds(4));
        options.BeforeAudit = async _ =>
        {
            // Remove the oldest entry of one inbox behind the system's back, as a lost write would.
            await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Script.RedisConnectionString);
            // Nothing was trimmed in so short a run: the oldest entry is seq 1, one key of the inbox's log.
            Assert.True(await redis.GetDatabase().KeyDeleteAsync($"im:{{v{runId}-0}}:m:1"));
        };

        var summary = await VerificationRun.RunAsync(options);

        Assert.False(summary.Ok, summary.ToJson());
        Assert.Equal(1, summary.Gaps);
        Assert.Equal(1, summary.Lost);
    }

    /// <summary>The first edge's readiness: its status code and what it says of the store.</summary>
    private async Task<(HttpStatusCode Status, string? Store)> HealthAsync()
    {
        var first = (await cluster.Script.ReadinessAsync())[0];
        return (first.Status, first.Store);
    }

    private async Task<VerifierSummary> DrillAsync(Func<Task> disrupt)
    {
        await cluster.RestoreAsync();
        var run = VerificationRun.RunAsync(await OptionsAsync("d" + Guid.NewGuid().ToString("N")[..7], Load));
        await Task.Delay(DisruptAfter);
        Assert.False(run.IsCompleted, "the verifier stopped before the disruption: " + (run.IsCompletedSuccessfully ? run.Result.ToJson() : run.Exception?.Message));
        await disrupt();
        var summary = await run;
        // The measured recovery times, visible with: dotnet test --logger "console;verbosity=detailed".
        output.WriteLine(summary.ToJson());
        return summary;
    }

    private async Task<VerifierOptions> OptionsAsync(string runId, TimeSpan duration) => new()
    {
        Log = new TestOutputWriter(output),
        Servers = await cluster.Script.EdgesAsync(),
        RunId = runId,
        Clients = 12,
        Rate = 5,
        Duration = duration,
        Drain = TimeSpan.FromSeconds(45),
    };

    private static void AssertNothingLost(VerifierSummary summary, int minimumAcked = 100)
    {
        Assert.True(summary.Ok, summary.ToJson());
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicated);
        Assert.Equal(0, summary.Gaps);
        Assert.Equal(0, summary.Unacked);
        Assert.True(summary.Acked >= minimumAcked, summary.ToJson());
    }
}
