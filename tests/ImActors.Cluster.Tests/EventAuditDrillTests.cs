using System.Net;
using System.Net.Sockets;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Verifier;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The event stream across a silo kill (decision 123): a cluster of its own with <c>Events:Enabled</c> and a webhook to
/// the verifier's receiver, a silo SIGKILLed under the verifier's 1:1 and group load, and the verifier's audit of the
/// events the webhook posted: every ACKed message has exactly one <c>message.stored</c> event after deduplication by
/// event id, with the seqs of its ACK, and no event names a message that does not exist.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class EventAuditDrillTests : IAsyncLifetime
{
    // The receiver's port is chosen before the cluster starts (the silos are given the URL) from a range cluster.sh
    // never picks from (it stays below 32000) and below the ephemeral range, as chaos.sh does.
    private readonly int _eventsPort = FreeReceiverPort();
    private readonly string _secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly ClusterScript _script;
    private readonly ITestOutputHelper _output;

    public EventAuditDrillTests(ITestOutputHelper output)
    {
        _output = output;
        _script = new ClusterScript(
            Directory.CreateTempSubdirectory("imactors-events-").FullName, "events-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string>
            {
                ["Events__Enabled"] = "true",
                ["Webhooks__Urls__0"] = EventsUrl.ToString(),
                ["Webhooks__Secret"] = _secret,
            });
    }

    private Uri EventsUrl => new($"http://127.0.0.1:{_eventsPort}/events");

    public async Task InitializeAsync()
    {
        await _script.RunAsync("start", "--no-build", "--silos", "2", "--edges", "2");
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
    public async Task SiloKilledUnderLoad_EveryAckedMessageHasExactlyOneEvent_AndNoEventLacksItsMessage()
    {
        var run = VerificationRun.RunAsync(new VerifierOptions
        {
            Log = new TestOutputWriter(_output),
            Servers = await _script.EdgesAsync(),
            RunId = "e" + Guid.NewGuid().ToString("N")[..7],
            Clients = 12,
            Rate = 5,
            Duration = TimeSpan.FromSeconds(20),
            Drain = TimeSpan.FromSeconds(45),
            AuditEvents = EventsUrl,
            EventsSecret = _secret,
        });
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(run.IsCompleted, "the verifier stopped before the kill");

        // The oldest silo: it holds activations and some of the event queues' pulling agents from the start.
        _output.WriteLine(await _script.RunAsync("kill-silo"));
        var summary = await run;
        _output.WriteLine(summary.ToJson());

        Assert.True(summary.Ok, summary.ToJson());
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Unacked);
        Assert.True(summary.EventsAudited);
        Assert.Equal(0, summary.EventsMissing);
        Assert.Equal(0, summary.EventsDuplicated);
        Assert.Equal(0, summary.EventsWithoutMessage);
        Assert.Equal(0, summary.EventsMismatched);
        Assert.Equal(0, summary.EventsRefused);
        Assert.True(summary.Acked >= 100, summary.ToJson());
        // One event per message: the ACKed ones, and any un-ACKed send the store kept.
        Assert.Equal(summary.Acked + summary.StoredUnacked, summary.Events);
    }

    private static int FreeReceiverPort()
    {
        for (var port = 32000 + Random.Shared.Next(700); ; port = 32000 + Random.Shared.Next(700))
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
