using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// Who gets to hold a connection: an edge of its own with short deadlines and small per-address limits (every test
/// connects from 127.0.0.1, so the limits count them all as one address; the tests here run one at a time).
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class AdmissionTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const int MaxPerAddress = 4;
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-admission", new Dictionary<string, string?>
    {
        ["Admission:HelloTimeout"] = "00:00:01",
        ["Admission:FrameTimeout"] = "00:00:01",
        ["Admission:SweepInterval"] = "00:00:00.100",
        ["Admission:MaxConnectionsPerAddress"] = MaxPerAddress.ToString(),
        ["Admission:ConnectsPerSecondPerAddress"] = "1000",
        ["Admission:ConnectBurstPerAddress"] = "1000",
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task ConnectionWithoutHello_IsClosedAtTheHelloDeadline_WithHelloTimeout(string transport)
    {
        await using var raw = transport == "tcp" ? await RawConnection.OpenTcpAsync(_edge) : await RawConnection.OpenWebSocketAsync(_edge);

        var frames = await raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));

        var closing = Assert.IsType<ClosingFrame>(Assert.Single(frames).Body);
        Assert.Equal(ErrorCodes.HelloTimeout, closing.Code);
        Assert.Contains("no hello within", closing.Reason);
    }

    [Fact]
    public async Task WelcomedConnection_OutlivesTheHelloDeadline()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await raw.HelloAsync(Clients.NewUser("prompt"));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await raw.SendAsync(FrameKind.Ping, new PingFrame { T = 1 });

        Assert.IsType<PongFrame>((await raw.ReceiveAsync())?.Body);
    }

    [Fact]
    public async Task FrameSentAByteAtATime_IsClosedAtTheFrameDeadline_WithFrameTimeout()
    {
        await using var raw = await RawConnection.OpenTcpAsync(_edge);
        await raw.HelloAsync(Clients.NewUser("trickle"));
        var ping = FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = 7 });

        // The prefix and one byte, then one more byte every 300 ms: the frame is alive but never done in time.
        await raw.SendFrameAsync(ping[..5]);
        var closed = raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));
        try
        {
            for (var i = 5; i < ping.Length - 1 && !closed.IsCompleted; i++)
            {
                await Task.Delay(300);
                await raw.SendFrameAsync(ping[i..(i + 1)]);
            }
        }
        catch (IOException)
        {
            // The edge closed the connection between a byte and the check above: the close is what this test waits for.
        }

        var closing = Assert.IsType<ClosingFrame>(Assert.Single(await closed).Body);
        Assert.Equal(ErrorCodes.FrameTimeout, closing.Code);
    }

    [Fact]
    public async Task ConnectionsBeyondThePerAddressLimit_AreRefused_OverTcpWithAnErrorFrame_AndOverWebSocketWithHttp429()
    {
        var held = new List<RawConnection>();
        try
        {
            for (var i = 0; i < MaxPerAddress; i++)
            {
                held.Add(await RawConnection.OpenTcpAsync(_edge));
                await held[^1].HelloAsync(Clients.NewUser("holder"));
            }

            await using var extra = await RawConnection.OpenTcpAsync(_edge);
            var frames = await extra.ReadUntilClosedAsync();
            var refusal = Assert.IsType<ErrorFrame>(Assert.Single(frames).Body);
            Assert.Equal(ErrorCodes.RateLimited, refusal.Code);
            Assert.Contains("too many connections", refusal.Reason);
            Assert.True(refusal.RetryAfterMs > 0);

            var upgrade = await Assert.ThrowsAsync<WebSocketException>(() => RawConnection.OpenWebSocketAsync(_edge));
            Assert.Contains("429", upgrade.Message);

            // A slot given back is a slot to take.
            await held[0].DisposeAsync();
            held.RemoveAt(0);
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

    [Fact]
    public async Task HealthBody_ShowsTheConnectionCaps()
    {
        using var http = new HttpClient();

        var body = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{_edge.HttpPort}/health/live");

        var limits = body.GetProperty("limits");
        Assert.Equal(18_000, limits.GetProperty("maxConnections").GetInt32());
        Assert.Equal(MaxPerAddress, limits.GetProperty("maxConnectionsPerAddress").GetInt32());
    }
}

/// <summary>The per-address connection rate, on an edge of its own: a burst of 3, then 1 a second.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class ConnectRateTests(ClusterFixture cluster) : IAsyncLifetime
{
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-connect-rate", new Dictionary<string, string?>
    {
        ["Admission:ConnectsPerSecondPerAddress"] = "1",
        ["Admission:ConnectBurstPerAddress"] = "3",
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task ConnectingFasterThanTheRate_IsRefusedWithRateLimited()
    {
        // Four connections within a second against a burst of 3: exactly one is refused. Which one is not fixed: the edge
        // runs each accepted connection's admission on the thread pool, not in the order the client connected. The four
        // must come within a second of the first, or the limiter rightly lets the last in on a token refilled meanwhile;
        // on a busy machine a round that took longer proves nothing either way and is run again with a full bucket.
        for (var round = 1; ; round++)
        {
            var opened = new List<RawConnection>();
            try
            {
                var started = Stopwatch.StartNew();
                for (var i = 0; i < 4; i++)
                {
                    opened.Add(await RawConnection.OpenTcpAsync(_edge));
                }

                if (started.Elapsed >= TimeSpan.FromSeconds(0.8) && round < 3)
                {
                    await Task.Delay(TimeSpan.FromSeconds(4));
                    continue;
                }

                // An admitted connection says nothing until its hello; the refused one gets its error frame at once.
                var answers = await Task.WhenAll(opened.Select(FirstFrameOrNothingAsync));
                var refusal = Assert.Single(answers.OfType<ErrorFrame>());
                Assert.Equal(ErrorCodes.RateLimited, refusal.Code);
                Assert.Contains("connecting too fast", refusal.Reason);
                Assert.Equal(3, answers.Count(a => a is null));
                return;
            }
            finally
            {
                foreach (var connection in opened)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    private static async Task<object?> FirstFrameOrNothingAsync(RawConnection connection)
    {
        try
        {
            return (await connection.ReceiveAsync(TimeSpan.FromSeconds(3)))?.Body;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
