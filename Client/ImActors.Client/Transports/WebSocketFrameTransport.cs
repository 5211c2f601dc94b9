using System.Buffers;
using System.Net.WebSockets;
using System.Security.Authentication;
using ImActors.Protocol;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Transports;

/// <summary>One binary WebSocket message per frame, without the length prefix.</summary>
internal sealed class WebSocketFrameTransport(ClientWebSocket socket, int maxFrameBytes) : IFrameTransport
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private byte[] _receiveBuffer = new byte[4096];

    public static async Task<IFrameTransport> ConnectAsync(Uri server, int maxFrameBytes, CertificateTrust trust, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = trust.Validate;
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
        }
        catch (WebSocketException e) when (trust.LastRefusal is { } refusal && e.InnerException is HttpRequestException)
        {
            socket.Dispose();
            // ClientWebSocket reports "Unable to connect"; the refusal of the certificate is the reason worth telling.
            throw new AuthenticationException(refusal, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WebSocketFrameTransport(socket, maxFrameBytes);
    }

    public async ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame.AsMemory(FrameReader.PrefixLength), WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _receiveBuffer.Length)
            {
                if (length > maxFrameBytes)
                {
                    throw new ProtocolViolationException(ErrorCodes.FrameTooLarge, "server sent an oversized frame");
                }

                Array.Resize(ref _receiveBuffer, _receiveBuffer.Length * 2);
            }

            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(_receiveBuffer.AsMemory(length), cancellationToken);
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
                return FrameDecoder.Decode(new ReadOnlySequence<byte>(_receiveBuffer, 0, length));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        socket.Dispose();
    }
}
