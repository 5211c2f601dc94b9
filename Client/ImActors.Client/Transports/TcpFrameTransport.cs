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

    public ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken) =>
        _reader.ReadFrameAsync(_maxFrameBytes, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        _socket.Dispose();
        await _stream.DisposeAsync();
    }
}
