using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ImActors.Client.Transports;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// A bare protocol connection with no client logic in between (no hello, retries or ordering), for sending
/// what a well-behaved client never would. It rides the SDK's frame transports: TCP sends bytes verbatim;
/// WebSocket sends each payload as one binary message.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    // Whatever the server sends is read, however large: the tests judge it, not the transport.
    private const int AnyFrameSize = int.MaxValue;

    private readonly IFrameTransport _transport;

    private RawConnection(IFrameTransport transport) => _transport = transport;

    public static async Task<RawConnection> OpenTcpAsync(EdgeProcess edge, int? receiveBufferBytes = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync("127.0.0.1", edge.TcpPort);
        return new RawConnection(TcpFrameTransport.Over(socket, AnyFrameSize));
    }

    public static Task<RawConnection> OpenWebSocketAsync(EdgeProcess edge) => OpenAsync(edge.WebSocket);

    /// <summary>Any address the SDK takes (<c>tls://</c> and <c>wss://</c> too), trusting <paramref name="trusted"/> besides the system's roots.</summary>
    public static async Task<RawConnection> OpenAsync(Uri server, X509Certificate2Collection? trusted = null) =>
        new(await FrameTransports.ConnectAsync(server, AnyFrameSize, new CertificateTrust(trusted ?? []), CancellationToken.None));

    /// <summary>Sends an encoded frame (prefix included); over WebSocket the prefix is stripped.</summary>
    public Task SendFrameAsync(byte[] frame) => _transport.SendAsync(frame, CancellationToken.None).AsTask();

    public Task SendAsync<T>(FrameKind kind, T body) => SendFrameAsync(FrameEncoder.Encode(kind, body));

    /// <summary>Wraps arbitrary payload bytes in a correct length prefix.</summary>
    public Task SendPayloadAsync(byte[] payload)
    {
        var frame = new byte[FrameReader.PrefixLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, FrameReader.PrefixLength);
        return SendFrameAsync(frame);
    }

    public async Task<WelcomeFrame> HelloAsync(string user, string device = "raw")
    {
        await SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(user), Device = device, Versions = [1] });
        var reply = await ReceiveAsync();
        return Assert.IsType<WelcomeFrame>(reply?.Body);
    }

    /// <summary>The next frame, or null once the server has closed (or reset) the connection.</summary>
    public async Task<Frame?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _transport.ReceiveAsync(cancel.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until the server closes; returns them all. Fails if the server keeps the connection open.</summary>
    public async Task<List<Frame>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var frames = new List<Frame>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReceiveAsync(TimeSpan.FromTicks(Math.Max(1, (deadline - DateTime.UtcNow).Ticks)));
            if (frame is null)
            {
                return frames;
            }

            frames.Add(frame.Value);
        }

        Assert.Fail($"the server did not close the connection; got {string.Join(", ", frames.Select(f => f.Kind))}");
        return frames;
    }

    /// <summary>The closing frame, as soon as it arrives (the socket's close follows it); frames before it are skipped.</summary>
    public async Task<ClosingFrame> ClosedWithAsync()
    {
        while (true)
        {
            var frame = await ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.NotNull(frame);
            if (frame?.Body is ClosingFrame closing)
            {
                return closing;
            }
        }
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
