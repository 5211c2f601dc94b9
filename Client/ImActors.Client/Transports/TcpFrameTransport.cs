using System.IO.Pipelines;
using System.Net.Sockets;
using ImActors.Protocol;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Transports;

/// <summary>Length-prefixed frames over a TCP socket, read through a pipe like the edge reads them.</summary>
internal sealed class TcpFrameTransport : IFrameTransport
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _maxFrameBytes;

    private TcpFrameTransport(Socket socket, int maxFrameBytes)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
        _maxFrameBytes = maxFrameBytes;
    }

    public static async Task<IFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpFrameTransport(socket, maxFrameBytes);
    }

    /// <summary>Frames over a socket the caller created and connected (with whatever socket options it needs).</summary>
    public static IFrameTransport Over(Socket connected, int maxFrameBytes) => new TcpFrameTransport(connected, maxFrameBytes);

    public async ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(frame, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = FrameReader.TryRead(ref buffer, _maxFrameBytes, out var payload, out var length);
            if (status == FrameReadStatus.Frame)
            {
                try
                {
                    return FrameDecoder.Decode(payload);
                }
                finally
                {
                    // Consumed up to the end of this frame and examined no further: more whole frames may
                    // already be buffered, and the next read must return them without waiting for new bytes.
                    _reader.AdvanceTo(buffer.Start);
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            switch (status)
            {
                case FrameReadStatus.TooLarge:
                    throw new ProtocolViolationException(ErrorCodes.FrameTooLarge, $"server sent a frame of {length} bytes");
                case FrameReadStatus.Empty:
                    throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "server sent an empty frame");
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        _socket.Dispose();
        await _stream.DisposeAsync();
    }
}
