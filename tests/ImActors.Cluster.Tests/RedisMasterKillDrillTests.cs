using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Verifier;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The master-kill drill on a Redis Cluster (3 masters with a replica each, started by <c>cluster.sh start
/// --redis-shards 3</c>): under the verifier's 1:1 and group load a master is SIGKILLed, its replica takes over, and the
/// old master comes back as a replica. With <c>Store:WaitReplicas=1</c> an ACK means two copies, so the audit must find
/// nothing lost, duplicated or reused. (Without it a kill can lose the last ACKed writes the replica had not copied;
/// docs/operations.md, "A Redis master lost", says what runs here measured.)
/// </summary>
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class RedisMasterKillDrillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ClusterScript _script = new(
        Directory.CreateTempSubdirectory("imactors-shards-").FullName, "shards-" + Guid.NewGuid().ToString("N")[..8],
        new Dictionary<string, string> { ["Store__WaitReplicas"] = "1" });

    public async Task InitializeAsync()
    {
        await _script.RunAsync("start", "--no-build", "--redis-shards", "3", "--silos", "2", "--edges", "2");
        // Ready means an edge's probe went through a silo to the store and its WAIT: the drill must fail at the kill,
        // not at a cluster still starting.
        await _script.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _script.TryRunAsync("stop");
        try
        {
            Directory.Delete(_script.RunDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task MasterKilledUnderLoad_WithWaitReplicas_ItsReplicaTakesOver_AndNothingAckedIsLost()
    {
        var run = VerificationRun.RunAsync(new VerifierOptions
        {
            Log = new TestOutputWriter(output),
            Servers = await _script.EdgesAsync(),
            RunId = "m" + Guid.NewGuid().ToString("N")[..7],
            Clients = 12,
            Rate = 5,
            Duration = TimeSpan.FromSeconds(20),
            Drain = TimeSpan.FromSeconds(45),
        });
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(run.IsCompleted, "the verifier stopped before the kill");

        var killed = await _script.RunAsync("kill-redis-master");
        // The replica is promoted after the node timeout (2 s); the old master returns as its replica, so that a
        // master has a replica again and WAIT 1 can be met on every shard.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var during = await _script.RunAsync("status");
        await _script.RunAsync("start-redis");
        var summary = await run;
        output.WriteLine(killed + during + summary.ToJson());

        Assert.Equal(3, CountMasters(during));
        Assert.True(summary.Ok, summary.ToJson());
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicated);
        Assert.Equal(0, summary.Gaps);
        Assert.Equal(0, summary.SeqReused);
        Assert.Equal(0, summary.Unacked);
        // Fewer than the other drills ask: on a loaded 2-core machine a run here ACKed 46 (one 19-s stall at the start).
        Assert.True(summary.Acked >= 30, summary.ToJson());
        Assert.True(summary.SlowAcks > 0, "the kill should have held some sends back: " + summary.ToJson());
    }

    // "running master" lines of `cluster.sh status`: the promoted replica counts, the killed master (stopped) does not.
    private static int CountMasters(string status) =>
        status.Split('\n').Count(l => l.StartsWith("redis-", StringComparison.Ordinal) && l.TrimEnd().EndsWith("running master", StringComparison.Ordinal));
}
