using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// A bare protocol connection with no SDK in between, for sending what a well-behaved client never would.
/// TCP sends bytes verbatim; WebSocket sends each payload as one binary message.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket? _socket;
    private readonly ClientWebSocket? _webSocket;
    private byte[] _buffer = new byte[256 * 1024];
    private int _buffered;

    private RawConnection(Socket? socket, ClientWebSocket? webSocket)
    {
        _socket = socket;
        _webSocket = webSocket;
    }

    public static async Task<RawConnection> OpenTcpAsync(EdgeProcess edge, int? receiveBufferBytes = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync("127.0.0.1", edge.TcpPort);
        return new RawConnection(socket, null);
    }

    public static async Task<RawConnection> OpenWebSocketAsync(EdgeProcess edge)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(edge.WebSocket, CancellationToken.None);
        return new RawConnection(null, socket);
    }

    /// <summary>Sends an encoded frame (prefix included); over WebSocket the prefix is stripped.</summary>
    public async Task SendFrameAsync(byte[] frame)
    {
        if (_webSocket is not null)
        {
            await _webSocket.SendAsync(frame.AsMemory(FrameReader.PrefixLength), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        else
        {
            await _socket!.SendAsync(frame);
        }
    }

    public Task SendAsync<T>(FrameKind kind, T body) => SendFrameAsync(FrameEncoder.Encode(kind, body));

    /// <summary>Wraps arbitrary payload bytes in a correct length prefix.</summary>
    public Task SendPayloadAsync(byte[] payload)
    {
        var frame = new byte[FrameReader.PrefixLength + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, FrameReader.PrefixLength);
        return SendFrameAsync(frame);
    }

    public async Task<WelcomeFrame> HelloAsync(string user, string device = "raw")
    {
        await SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(user), Device = device, Versions = [1] });
        var reply = await ReceiveAsync();
        return Assert.IsType<WelcomeFrame>(reply?.Body);
    }

    /// <summary>The next frame, or null once the server has closed the connection.</summary>
    public async Task<Frame?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return _webSocket is not null ? await ReceiveWebSocketAsync(cancel.Token) : await ReceiveTcpAsync(cancel.Token);
    }

    /// <summary>Reads frames until the server closes; returns them all. Fails if the server keeps the connection open.</summary>
    public async Task<List<Frame>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var frames = new List<Frame>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (frame is null)
            {
                return frames;
            }

            frames.Add(frame.Value);
        }

        Assert.Fail($"the server did not close the connection; got {string.Join(", ", frames.Select(f => f.Kind))}");
        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        if (_webSocket is not null)
        {
            _webSocket.Abort();
            _webSocket.Dispose();
        }

        await Task.CompletedTask;
    }

    private async Task<Frame?> ReceiveTcpAsync(CancellationToken cancel)
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _buffered);
            if (FrameReader.TryRead(ref sequence, int.MaxValue, out var payload, out _) == FrameReadStatus.Frame)
            {
                var frame = FrameDecoder.Decode(payload);
                var consumed = _buffered - (int)sequence.Length;
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _buffered - consumed);
                _buffered -= consumed;
                return frame;
            }

            if (_buffered == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _socket!.ReceiveAsync(_buffer.AsMemory(_buffered), cancel);
            }
            catch (SocketException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _buffered += read;
        }
    }

    private async Task<Frame?> ReceiveWebSocketAsync(CancellationToken cancel)
    {
        var length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _webSocket!.ReceiveAsync(_buffer.AsMemory(length), cancel);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return FrameDecoder.Decode(new ReadOnlySequence<byte>(_buffer, 0, length));
            }
        }
    }
}
