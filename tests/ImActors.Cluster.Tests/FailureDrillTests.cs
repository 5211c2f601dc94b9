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
[Collection(LocalClusterCollection.Name)]
public sealed class FailureDrillTests(LocalCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DisruptAfter = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task SiloRemovedGracefully_UnderLoad_NothingIsLostAndSendersBarelyNotice()
    {
        var summary = await DrillAsync(() => cluster.Script.RunAsync("remove-silo"));

        AssertNothingLost(summary);
        // A leaving silo hands its activations over; sends only wait for their grain to reactivate.
        Assert.True(summary.MaxRecoveryMs < 5000, summary.ToJson());
    }

    [Fact]
    public async Task SiloKilled_UnderLoad_SendersGetAcksAgainWithinSecondsAndNothingIsLost()
    {
        var summary = await DrillAsync(() => cluster.Script.RunAsync("kill-silo"));

        AssertNothingLost(summary);
        // Membership declares the silo dead in 1-2 s and the edge retries meanwhile (target: 2 s, measured ~1 s).
        Assert.True(summary.MaxRecoveryMs < 5000, summary.ToJson());
    }

    [Fact]
    public async Task EdgeKilled_UnderLoad_ClientsMoveToTheOtherEdgeAndNothingIsLost()
    {
        var summary = await DrillAsync(async () =>
        {
            await cluster.Script.RunAsync("kill-edge", "1");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await cluster.Script.RunAsync("start-edge", "1");
        });

        AssertNothingLost(summary);
        Assert.True(summary.MaxRecoveryMs < 5000, summary.ToJson());
    }

    [Fact]
    public async Task RedisRestarted_UnderLoad_SendsWaitForItAndNothingIsLost()
    {
        var summary = await DrillAsync(async () =>
        {
            await cluster.Script.RunAsync("kill-redis");
            await Task.Delay(TimeSpan.FromSeconds(8));
            await cluster.Script.RunAsync("start-redis");
        });

        // Sends during the outage are refused (retryable) and retried by the clients until Redis is back.
        AssertNothingLost(summary);
        Assert.True(summary.SlowAcks > 0, "the outage should have held some sends back: " + summary.ToJson());
    }

    [Fact]
    public async Task Audit_NoticesAMessageRemovedFromTheStore()
    {
        await cluster.RestoreAsync();
        var runId = "cut" + Guid.NewGuid().ToString("N")[..6];
        var options = await OptionsAsync(runId, TimeSpan.FromSeconds(4));
        options.BeforeAudit = async _ =>
        {
            // Remove the oldest entry of one inbox behind the system's back, as a lost write would.
            await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Script.RedisConnectionString);
            var removed = await redis.GetDatabase().SortedSetRemoveRangeByRankAsync($"im:{{v{runId}-0}}:log", 0, 0);
            Assert.Equal(1, removed);
        };

        var summary = await VerificationRun.RunAsync(options);

        Assert.False(summary.Ok, summary.ToJson());
        Assert.Equal(1, summary.Gaps);
        Assert.Equal(1, summary.Lost);
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
        Servers = await cluster.Script.EdgesAsync(),
        RunId = runId,
        Clients = 12,
        Rate = 5,
        Duration = duration,
        Drain = TimeSpan.FromSeconds(45),
    };

    private static void AssertNothingLost(VerifierSummary summary)
    {
        Assert.True(summary.Ok, summary.ToJson());
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicated);
        Assert.Equal(0, summary.Gaps);
        Assert.Equal(0, summary.Unacked);
        Assert.True(summary.Acked > 100, summary.ToJson());
    }
}
