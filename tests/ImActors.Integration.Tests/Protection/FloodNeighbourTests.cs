using System.Diagnostics;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// Flooders next to a well-behaved client on one edge. The flooders are never closed here (an edge of its own that
/// tolerates any number of refusals) and read their refusals, so the flood lasts as long as the measurement.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class FloodNeighbourTests(ClusterFixture cluster) : IAsyncLifetime
{
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-flood", new Dictionary<string, string?>
    {
        ["Limits:MessagesPerSecond"] = "5",
        ["Limits:MessageBurst"] = "10",
        ["Limits:RefusalsBeforeClose"] = "1000000000",
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task Flooders_DoNotSlowAWellBehavedNeighboursAcks()
    {
        await using var neighbour = await RawConnection.OpenTcpAsync(_edge);
        await neighbour.HelloAsync(Clients.NewUser("calm"));
        var peer = Clients.NewUser("sink");
        var before = await AckLatenciesAsync(neighbour, peer, "before");

        using var stop = new CancellationTokenSource();
        var flooders = new List<RawConnection>();
        var refused = 0;
        for (var f = 0; f < 4; f++)
        {
            flooders.Add(await RawConnection.OpenTcpAsync(_edge));
            await flooders[^1].HelloAsync(Clients.NewUser("flood"));
        }

        var target = Clients.NewUser("flooded");
        var flooding = flooders.SelectMany((flooder, f) => new[]
        {
            Task.Run(async () =>
            {
                // As fast as the socket takes them, each a new message.
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    await flooder.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"x{f}-{i}", To = target, Body = new byte[512] });
                }
            }),
            Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && await flooder.ReceiveAsync(TimeSpan.FromSeconds(30)) is { } frame)
                {
                    if (frame.Body is ErrorFrame)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            }),
        }).ToList();

        var during = await AckLatenciesAsync(neighbour, peer, "during");
        var refusedWhileMeasuring = Volatile.Read(ref refused);
        await stop.CancelAsync();
        foreach (var flooder in flooders)
        {
            await flooder.DisposeAsync();
        }

        await Task.WhenAll(flooding.Select(t => t.ContinueWith(_ => { })));
        Assert.True(refusedWhileMeasuring > 100, $"the flood was refused only {refusedWhileMeasuring} times: it did not flood");
        // Medians, so that one scheduling hiccup on a shared 2-core machine does not decide; 50 ms absorbs the rest.
        Assert.True(Median(during) < Median(before) * 2 + 50, $"median ACK {Median(before):0.#} ms before the flood, {Median(during):0.#} ms during it");
    }

    /// <summary>Eight sends spaced under the rate, each timed from send to ACK.</summary>
    private static async Task<List<double>> AckLatenciesAsync(RawConnection connection, string peer, string prefix)
    {
        var latencies = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var watch = Stopwatch.StartNew();
            await connection.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = $"{prefix}-{i}", To = peer, Body = [1] });
            Assert.IsType<AckFrame>((await connection.ReceiveAsync())?.Body);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(250);
        }

        return latencies;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
