using System.Diagnostics;
using System.Text.Json;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Verifier;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The single-process node (silo, embedded store and edge in one process) SIGKILLed again and again under
/// load and restarted each time on the same ports and data: every message it ACKed before a kill must still be
/// there after the restart, and no seq it handed out may be handed out again to another message.
/// </summary>
[Trait("Tier", "Slow")]
[Collection(SingleNodeCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class NodeKillDrillTests(SingleNode node, ITestOutputHelper output)
{
    // A drill that hangs fails instead of holding CI up; a normal one takes 1-1.5 minutes on 2 cores.
    private const int DrillTimeoutMs = 180_000;

    // The verifier's 20 clients (1:1 and group messages; half start on the TCP edge, half on the WebSocket one) at
    // 20 sends/s each, which keeps 2 cores busy. A kill loses ACKed messages only when it lands within milliseconds
    // of ACKs the store has not committed yet. Against that defect (Store__CommitWait=false in the environment brings
    // it back), at the verifier's default 5 sends/s and 4 kills the drill failed 1 run of 3; as configured here,
    // 12 runs of 12 (2-24 ACKed messages lost, or one stored twice).
    private const int Clients = 20;
    private const double Rate = 20;
    // Five kills need about 5 + 5 x (restart + 3) s: restarts took 7.6-8.4 s on the clean-clone run, so 60 s fitted four.
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(75);
    private const int Kills = 8;
    private const int MinimumKills = 5;
    private static readonly TimeSpan FirstKillAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadBetweenKills = TimeSpan.FromSeconds(3);

    // A seq handed out again shows only when sends reach the recovered store, so the last kill leaves load after it.
    private static readonly TimeSpan LoadAfterLastKill = TimeSpan.FromSeconds(10);

    // From launching the process again to its edge accepting clients (the store replays its append-only file, the
    // silo starts). Measured 1.6-6 s on 2 cores, up to 11 s and once 20.6 s while other builds shared them; the
    // bound leaves room for a loaded CI machine and still fails on a recovery that grows with the data or a restart
    // stuck on its old ports.
    private static readonly TimeSpan MaxRestart = TimeSpan.FromSeconds(30);

    // Covers a send caught by the last kill: a restart within MaxRestart, the client's resend (4 s) and reconnect (2 s).
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(45);

    [Fact(Timeout = DrillTimeoutMs)]
    public async Task NodeKilledUnderLoad_LosesNoAckedMessage_AndReusesNoSeq()
    {
        await node.RestoreAsync();
        var run = VerificationRun.RunAsync(new VerifierOptions
        {
            Log = new TestOutputWriter(output),
            Servers = await node.Script.EdgesAsync(),
            RunId = "k" + Guid.NewGuid().ToString("N")[..7],
            Clients = Clients,
            Rate = Rate,
            Duration = Load,
            Drain = Drain,
        });
        await UntilEveryClientIsConnectedAsync(run);
        var sinceLoadStart = Stopwatch.StartNew();
        var restarts = new List<TimeSpan>();
        await Task.Delay(FirstKillAfter);
        while (restarts.Count < Kills && Load - sinceLoadStart.Elapsed > LoadAfterLastKill)
        {
            if (run.IsCompleted)
            {
                Assert.Fail("the verifier stopped before the kill: " + (await run).ToJson());
            }

            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} kill {restarts.Count + 1}: {(await node.Script.RunAsync("kill")).Trim()}");
            var ready = await node.Script.RestartAsync();
            restarts.Add(ready);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restarted: accepting clients {ready.TotalSeconds:0.00} s after launch");
            await Task.Delay(LoadBetweenKills);
        }

        var summary = await run;
        // The measurements, visible with: dotnet test --logger "console;verbosity=detailed".
        output.WriteLine(summary.ToJson());
        output.WriteLine($"{restarts.Count} restarts, ready in: {string.Join(", ", restarts.Select(r => $"{r.TotalSeconds:0.00} s"))}");
        if (!summary.Ok)
        {
            foreach (var error in node.Script.ErrorsInLog(5))
            {
                output.WriteLine("node log: " + error);
            }
        }

        AssertNoAckedMessageLostAndNoSeqReused(summary);
        Assert.True(restarts.Count >= MinimumKills, $"only {restarts.Count} kills fitted in {Load.TotalSeconds} s of load");
        Assert.All(restarts, ready => Assert.True(ready < MaxRestart, $"a restart took {ready.TotalSeconds:0.0} s (bound {MaxRestart.TotalSeconds} s)"));
    }

    // The verifier connects its clients before it sends; a kill before they all are fails its run instead of testing
    // the store. The edge's liveness endpoint counts the users it holds. (While the first clients log in to a fresh node it can
    // take 5 s to answer: every user's grain is activated then.)
    private async Task UntilEveryClientIsConnectedAsync(Task<VerifierSummary> run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var health = await node.Script.LiveHealthAsync();
        var deadline = Stopwatch.StartNew();
        while (await UsersAsync() < Clients)
        {
            if (run.IsCompleted)
            {
                Assert.Fail("the verifier stopped before its clients connected: " + (await run).ToJson());
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the verifier's clients did not all connect within 60 s");
            await Task.Delay(200);
        }

        async Task<int> UsersAsync()
        {
            using var reply = JsonDocument.Parse(await http.GetStringAsync(health));
            return reply.RootElement.GetProperty("users").GetInt32();
        }
    }

    private static void AssertNoAckedMessageLostAndNoSeqReused(VerifierSummary summary)
    {
        var json = summary.ToJson();
        Assert.True(summary.Ok, json);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicated);
        Assert.Equal(0, summary.Gaps);
        Assert.Equal(0, summary.SeqReused);
        Assert.Equal(0, summary.Unacked);
        Assert.True(summary.Acked >= 1000, json);
    }
}
