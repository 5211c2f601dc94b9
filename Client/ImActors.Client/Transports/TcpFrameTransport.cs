using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ImActors.Protocol;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Transports;

/// <summary>Length-prefixed frames over a TCP socket (inside TLS for <c>tls://</c>), read through a pipe like the edge reads them.</summary>
internal sealed class TcpFrameTransport : IFrameTransport
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _maxFrameBytes;

    private TcpFrameTransport(Socket socket, Stream stream, int maxFrameBytes)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream);
        _maxFrameBytes = maxFrameBytes;
    }

    public static async Task<IFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, CertificateTrust trust, CancellationToken cancellationToken)
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

        var stream = new NetworkStream(socket, ownsSocket: true);
        return new TcpFrameTransport(
            socket, server.Scheme == "tls" ? await AuthenticateAsync(stream, server.Host, trust, cancellationToken) : stream, maxFrameBytes);
    }

    /// <summary>Frames over a socket the caller created and connected (with whatever socket options it needs).</summary>
    public static IFrameTransport Over(Socket connected, int maxFrameBytes) =>
        new TcpFrameTransport(connected, new NetworkStream(connected, ownsSocket: true), maxFrameBytes);

    private static async Task<Stream> AuthenticateAsync(NetworkStream stream, string host, CertificateTrust trust, CancellationToken cancellationToken)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host, RemoteCertificateValidationCallback = trust.Validate }, cancellationToken);
            return tls;
        }
        catch (Exception e)
        {
            await tls.DisposeAsync();
            if (e is not AuthenticationException)
            {
                throw;
            }

            // The handshake's own message names the callback, not the reason: say why the certificate was refused.
            throw new AuthenticationException(trust.LastRefusal ?? e.Message, e);
        }
    }

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
