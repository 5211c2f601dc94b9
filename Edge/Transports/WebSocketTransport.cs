using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using ImActors.Edge.Connections;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Transports;

/// <summary>
/// Adapts a WebSocket to the same duplex pipe of length-prefixed frames that TCP gives, so the protocol
/// code never knows which transport it is on (SignalR's approach). On the wire one binary WebSocket
/// message is one frame payload, without the prefix: the adapter adds it on the way in and strips it on
/// the way out.
/// </summary>
public sealed class WebSocketTransport(ConnectionLoop loop, IOptions<EdgeSettings> settings)
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    public async Task RunAsync(WebSocket socket, CancellationToken aborted)
    {
        var toProtocol = new Pipe();
        var fromProtocol = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var transport = new DuplexPipe(toProtocol.Reader, fromProtocol.Writer);

        var receiving = ReceiveAsync(socket, toProtocol.Writer, stop.Token);
        var sending = SendAsync(socket, fromProtocol.Reader, stop.Token);
        await loop.RunAsync(transport, () => stop.Cancel(), "ws");

        // The protocol is done and has completed its output: let the last frames (an error, a closing
        // frame) reach the client, then close the WebSocket politely before tearing anything down.
        await Task.WhenAny(Quietly(sending), Task.Delay(CloseGrace));
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var closeTimeout = new CancellationTokenSource(CloseGrace);
            await Quietly(socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token));
        }

        await Task.WhenAny(Quietly(receiving), Task.Delay(CloseGrace));
        await stop.CancelAsync();
        await Task.WhenAll(Quietly(receiving), Quietly(sending));
    }

    private async Task ReceiveAsync(WebSocket socket, PipeWriter toProtocol, CancellationToken cancel)
    {
        var max = settings.Value.MaxFrameBytes;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                // Zero-byte read: an idle socket holds no receive buffer until data arrives.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, cancel);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (peek.EndOfMessage)
                {
                    // The peek consumed a whole message: an empty one. It is a zero-length frame, refused as on TCP.
                    WritePrefix(toProtocol, 0);
                    await toProtocol.FlushAsync(cancel);
                    continue;
                }

                var message = ArrayPool<byte>.Shared.Rent(Math.Min(max + 1, 4096));
                try
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result = default;
                    do
                    {
                        if (length == message.Length)
                        {
                            if (length > max)
                            {
                                break;
                            }

                            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(message.Length * 2, max + 1));
                            message.AsSpan(0, length).CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(message);
                            message = bigger;
                        }

                        result = await socket.ReceiveAsync(message.AsMemory(length), cancel);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && length <= max);

                    if (length > max)
                    {
                        // Announce the oversized length and stop: the protocol refuses it exactly as on TCP.
                        WritePrefix(toProtocol, (uint)length);
                        await toProtocol.FlushAsync(cancel);
                        break;
                    }

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    WritePrefix(toProtocol, (uint)length);
                    toProtocol.Write(message.AsSpan(0, length));
                    if ((await toProtocol.FlushAsync(cancel)).IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(message);
                }
            }
        }
        finally
        {
            await toProtocol.CompleteAsync();
        }
    }

    private static async Task SendAsync(WebSocket socket, PipeReader fromProtocol, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var read = await fromProtocol.ReadAsync(cancel);
                var buffer = read.Buffer;
                while (FrameReader.TryRead(ref buffer, int.MaxValue, out var payload, out _) == FrameReadStatus.Frame)
                {
                    await SendMessageAsync(socket, payload, cancel);
                }

                fromProtocol.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await fromProtocol.CompleteAsync();
        }
    }

    private static async ValueTask SendMessageAsync(WebSocket socket, ReadOnlySequence<byte> payload, CancellationToken cancel)
    {
        if (payload.IsSingleSegment)
        {
            await socket.SendAsync(payload.First, WebSocketMessageType.Binary, endOfMessage: true, cancel);
            return;
        }

        var position = payload.Start;
        var remaining = payload.Length;
        while (payload.TryGet(ref position, out var segment))
        {
            remaining -= segment.Length;
            await socket.SendAsync(segment, WebSocketMessageType.Binary, endOfMessage: remaining == 0, cancel);
        }
    }

    private static void WritePrefix(PipeWriter writer, uint length)
    {
        var span = writer.GetSpan(FrameReader.PrefixLength);
        BinaryPrimitives.WriteUInt32BigEndian(span, length);
        writer.Advance(FrameReader.PrefixLength);
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }
}
