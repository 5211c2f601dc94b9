using ImActors.Client;
using ImActors.Cluster.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>
/// Retention is not loss, end to end: a node that keeps 20 entries per log, a device reading an inbox from the start
/// after 30 messages. It gets the newest 20 in order, and the SDK says the first 10 aged out rather than leaving
/// them for a gap.
/// </summary>
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class RetentionTests : IAsyncLifetime
{
    private const int Kept = 20;
    private readonly NodeScript _node = new(Directory.CreateTempSubdirectory("imactors-retention-").FullName,
        new Dictionary<string, string> { ["Inbox__MaxEntries"] = Kept.ToString() });

    public Task InitializeAsync() => _node.RunAsync("start", "--no-build");

    public async Task DisposeAsync()
    {
        await _node.TryRunAsync("stop");
        Directory.Delete(_node.RunDir, recursive: true);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_DeviceReadingFromTheStart_GetsWhatIsKept_AndIsToldTheRestAgedOut()
    {
        var tcp = (await _node.EdgesAsync()).First(e => e.Scheme == "tcp");
        await using (var sender = await DevClients.ConnectAsync(tcp, "ann", resumeAfter: null))
        {
            for (var i = 1; i <= 30; i++)
            {
                await sender.SendTextAsync("bob", $"m{i}", $"c{i}");
            }
        }

        await using var reader = await DevClients.ConnectAsync(tcp, "bob", resumeAfter: 0);
        var received = new List<InboxMessage>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count < Kept)
        {
            received.Add(await reader.Messages.ReadAsync(timeout.Token));
        }

        Assert.Equal(Enumerable.Range(11, Kept).Select(i => $"m{i}"), received.Select(m => m.Text));
        Assert.Equal(10, reader.TrimmedTo());
        Assert.Equal(30, reader.LastSeq);
    }
}
