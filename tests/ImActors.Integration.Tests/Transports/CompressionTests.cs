using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Compression;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Transports;

/// <summary>
/// Message bodies compressed on the wire through a real edge: raw connections that offer compression (or do not) see
/// exactly what travels, and SDK clients get their bodies back as sent.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class CompressionTests(ClusterFixture cluster)
{
    // About 3.7 KB of text that deflate shrinks to a few hundred bytes.
    private static readonly byte[] Compressible = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i}: the build is green again. ")));

    [Fact]
    public async Task CompressedSend_ReachesAPlainRecipientAsItWasWritten_AndACompressingOneCompressed()
    {
        var (alice, bob, carol) = (Clients.NewUser("alice"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var plainBob = await RawConnection.OpenTcpAsync(cluster.Edge);
        await plainBob.HelloAsync(bob);
        await using var compressingCarol = await HelloAsync(carol, compression: ["deflate"]);
        await using var sender = await HelloAsync(alice, compression: ["deflate"]);

        await sender.SendAsync(FrameKind.Send, Send("c-1", bob, BodyCompression.TryCompress(Compressible, 512), BodyCompression.Deflate));
        await sender.SendAsync(FrameKind.Send, Send("c-2", carol, Compressible, compression: null));

        Assert.IsType<AckFrame>((await sender.ReceiveAsync())?.Body);
        Assert.IsType<AckFrame>((await sender.ReceiveAsync())?.Body);
        var toBob = Assert.IsType<MessageFrame>((await plainBob.ReceiveAsync())?.Body);
        Assert.Null(toBob.Compression);
        Assert.Equal(Compressible, toBob.Body);
        var toCarol = Assert.IsType<MessageFrame>((await compressingCarol.ReceiveAsync())?.Body);
        Assert.Equal(BodyCompression.Deflate, toCarol.Compression);
        Assert.True(toCarol.Body.Length < Compressible.Length / 2);
        Assert.Equal(Compressible, Inflate(toCarol.Body));
    }

    [Fact]
    public async Task WelcomeSaysWhetherTheConnectionCompresses()
    {
        await using var offering = await RawConnection.OpenTcpAsync(cluster.Edge);
        await offering.SendAsync(FrameKind.Hello, Hello(Clients.NewUser("offers"), ["br", "deflate"]));
        await using var silent = await RawConnection.OpenTcpAsync(cluster.Edge);
        await silent.SendAsync(FrameKind.Hello, Hello(Clients.NewUser("silent"), []));

        Assert.Equal("deflate", Assert.IsType<WelcomeFrame>((await offering.ReceiveAsync())?.Body).Compression);
        Assert.Equal("", Assert.IsType<WelcomeFrame>((await silent.ReceiveAsync())?.Body).Compression);
    }

    [Fact]
    public async Task SmallAndIncompressibleBodies_TravelAsTheyAre_EvenToACompressingConnection()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var compressingBob = await HelloAsync(bob, compression: ["deflate"]);
        await using var sender = await HelloAsync(alice, compression: []);
        var small = new byte[512];
        var random = new byte[4000];
        new Random(3).NextBytes(random);

        await sender.SendAsync(FrameKind.Send, Send("c-small", bob, small, compression: null));
        await sender.SendAsync(FrameKind.Send, Send("c-random", bob, random, compression: null));

        var first = Assert.IsType<MessageFrame>((await compressingBob.ReceiveAsync())?.Body);
        var second = Assert.IsType<MessageFrame>((await compressingBob.ReceiveAsync())?.Body);
        Assert.Null(first.Compression);
        Assert.Equal(small, first.Body);
        Assert.Null(second.Compression);
        Assert.Equal(random, second.Body);
    }

    [Fact]
    public async Task SyncPages_CarryCompressedBodies_ToACompressingConnection()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using (var sender = await HelloAsync(alice, compression: []))
        {
            await sender.SendAsync(FrameKind.Send, Send("c-1", bob, Compressible, compression: null));
            Assert.IsType<AckFrame>((await sender.ReceiveAsync())?.Body);
        }

        await using var compressingBob = await HelloAsync(bob, compression: ["deflate"]);
        await compressingBob.SendAsync(FrameKind.Sync, new SyncFrame { RequestId = "s-1", After = 0, Limit = 10 });

        var message = Assert.Single(Assert.IsType<SyncPageFrame>((await compressingBob.ReceiveAsync())?.Body).Messages);
        Assert.Equal(BodyCompression.Deflate, message.Compression);
        Assert.Equal(Compressible, Inflate(message.Body));
    }

    [Theory]
    [InlineData("garbage", "not a complete zlib (deflate) stream")]
    [InlineData("truncated", "not a complete zlib (deflate) stream")]
    [InlineData("bomb", "inflates past 98304 bytes")]
    [InlineData("unknown", "unknown compression 'br'")]
    public async Task BadCompressedBody_GetsAnErrorWithItsCmid_AndTheConnectionStaysOpen(string kind, string reason)
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var sender = await HelloAsync(alice, compression: ["deflate"]);
        var compressed = BodyCompression.TryCompress(Compressible, 0)!;
        var send = kind switch
        {
            "garbage" => Send("c-bad", bob, "plain text, flagged as compressed"u8.ToArray(), BodyCompression.Deflate),
            "truncated" => Send("c-bad", bob, compressed[..^4], BodyCompression.Deflate),
            "bomb" => Send("c-bad", bob, BodyCompression.TryCompress(new byte[16 * 1024 * 1024], 0), BodyCompression.Deflate),
            _ => Send("c-bad", bob, compressed, "br"),
        };

        await sender.SendAsync(FrameKind.Send, send);

        var error = Assert.IsType<ErrorFrame>((await sender.ReceiveAsync())?.Body);
        Assert.Equal((ErrorCodes.InvalidRequest, "c-bad", false), (error.Code, error.ClientMessageId, error.Retryable));
        Assert.Contains(reason, error.Reason);
        await sender.SendAsync(FrameKind.Ping, new PingFrame { T = 5 });
        Assert.IsType<PongFrame>((await sender.ReceiveAsync())?.Body);
    }

    [Fact]
    public async Task SdkClients_GetCompressedBodiesBackAsSent_BothWays()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var aliceClient = await Clients.ConnectAsync(cluster.Edge.WebSocket, alice);

        await aliceClient.SendAsync(bob, "application/json", Compressible);
        await bobClient.SendAsync(alice, "application/json", Compressible);

        Assert.Equal(Compressible, Assert.Single(await bobClient.ReceiveAsync(1)).Body);
        Assert.Equal(Compressible, Assert.Single(await aliceClient.ReceiveAsync(1)).Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SdkSends_TravelCompressed_WithinAByteBudgetTheirPlainBodiesWouldExceed(bool compression)
    {
        // 8 KB of budget and almost no refill: three sends of 3.7 KB plain bodies need more (hello and catch-up count too);
        // compressed, they need a fraction of it.
        await using var edge = await cluster.StartEdgeAsync("edge-compression", new Dictionary<string, string?>
        {
            ["Limits:BytesPerSecond"] = "0.001", ["Limits:ByteBurst"] = "8192",
        });
        var bob = Clients.NewUser("bob");
        await using var alice = new ImClient(new ImClientOptions
        {
            Servers = [edge.Tcp],
            TokenProvider = _ => ValueTask.FromResult(Clients.Token(Clients.NewUser("alice"))),
            Compression = compression,
            SendDeadline = TimeSpan.FromSeconds(3),
        });
        await alice.ConnectAsync();

        var sends = async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await alice.SendAsync(bob, "text/plain", Compressible);
            }
        };

        if (compression)
        {
            await sends();
        }
        else
        {
            await Assert.ThrowsAsync<ImClientException>(sends);
        }
    }

    [Fact]
    public async Task WebSocketDeflate_IsAgreedOnlyWhereEnabled_WithASmallWindowAndNoServerContext()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-ws-deflate", new Dictionary<string, string?> { ["Compression:WebSocketDeflate"] = "true" });

        var enabled = await DeflateOfferAnsweredAsync(edge);
        var byDefault = await DeflateOfferAnsweredAsync(cluster.Edge);

        Assert.Contains("permessage-deflate", enabled);
        Assert.Contains("server_no_context_takeover", enabled);
        Assert.Contains("server_max_window_bits=9", enabled);
        Assert.Equal("", byDefault);
    }

    /// <summary>Offers permessage-deflate, says hello through it, and returns the extension the edge agreed to ("" for none).</summary>
    private static async Task<string> DeflateOfferAnsweredAsync(EdgeProcess edge)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await socket.ConnectAsync(edge.WebSocket, CancellationToken.None);
        var hello = FrameEncoder.Encode(FrameKind.Hello, Hello(Clients.NewUser("deflating"), []));
        await socket.SendAsync(hello.AsMemory(FrameReader.PrefixLength), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.True(received.EndOfMessage);
        Assert.IsType<WelcomeFrame>(FrameDecoder.Decode(new ReadOnlySequence<byte>(buffer, 0, received.Count)).Body);
        return socket.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true ? string.Join(",", values) : "";
    }

    private async Task<RawConnection> HelloAsync(string user, string[] compression)
    {
        var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.SendAsync(FrameKind.Hello, Hello(user, compression));
        var welcome = Assert.IsType<WelcomeFrame>((await raw.ReceiveAsync())?.Body);
        Assert.Equal(compression.Contains("deflate") ? "deflate" : "", welcome.Compression);
        return raw;
    }

    private static HelloFrame Hello(string user, string[] compression) =>
        new() { Token = Clients.Token(user), Device = "raw", Versions = [1], Compression = compression };

    private static SendFrame Send(string cmid, string to, byte[]? body, string? compression) =>
        new() { ClientMessageId = cmid, To = to, ContentType = "text/plain", Body = body!, Compression = compression };

    private static byte[] Inflate(byte[] compressed)
    {
        Assert.Equal(InflateStatus.Inflated, BodyCompression.TryInflate(compressed, 1 << 20, out var body));
        return body;
    }
}
