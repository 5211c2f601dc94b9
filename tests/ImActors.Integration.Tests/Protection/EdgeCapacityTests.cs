using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// The edge-wide connection limit (Edge:MaxConnections), on an edge of its own that takes three: one count over TCP and
/// WebSocket, a refusal a client can read and act on, and a slot given back on close.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class EdgeCapacityTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const int Max = 3;
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-capacity", new Dictionary<string, string?>
    {
        ["Edge:MaxConnections"] = Max.ToString(),
        ["Admission:MaxConnectionsPerAddress"] = "0",
        ["Admission:ConnectsPerSecondPerAddress"] = "0",
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task ConnectionsBeyondTheEdgeLimit_GetARetryable503_OverBothTransports_AndAClosedOneFreesItsSlot()
    {
        var held = new List<RawConnection>
        {
            await RawConnection.OpenTcpAsync(_edge),
            await RawConnection.OpenWebSocketAsync(_edge),
            await RawConnection.OpenTcpAsync(_edge),
        };
        try
        {
            foreach (var connection in held)
            {
                await connection.HelloAsync(Clients.NewUser("holder"));
            }

            await using (var overTcp = await RawConnection.OpenTcpAsync(_edge))
            {
                AssertFull(await overTcp.ReadUntilClosedAsync());
            }

            await using (var overWebSocket = await RawConnection.OpenWebSocketAsync(_edge))
            {
                AssertFull(await overWebSocket.ReadUntilClosedAsync());
            }

            // The held ones are unaffected by the refusals.
            await held[0].SendAsync(FrameKind.Ping, new PingFrame());
            Assert.IsType<PongFrame>((await held[0].ReceiveAsync())?.Body);

            await held[1].DisposeAsync();
            held.RemoveAt(1);
            await Eventually.TrueAsync(async () =>
            {
                await using var again = await RawConnection.OpenTcpAsync(_edge);
                await again.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(Clients.NewUser("again")), Device = "d", Versions = [1] });
                return (await again.ReceiveAsync())?.Body is WelcomeFrame;
            });
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static void AssertFull(List<Frame> frames)
    {
        var refusal = Assert.IsType<ErrorFrame>(Assert.Single(frames).Body);
        Assert.Equal(ErrorCodes.Unavailable, refusal.Code);
        Assert.True(refusal.Retryable);
        Assert.True(refusal.RetryAfterMs > 0);
        Assert.Contains($"limit of {Max} connections", refusal.Reason);
    }
}
