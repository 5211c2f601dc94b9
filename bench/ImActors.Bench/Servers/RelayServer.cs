using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ImActors.Bench.Servers;

/// <summary>
/// The calibration target: speaks the ImActors client protocol and does the least a server can do
/// (welcome anyone, ACK every send, hand the body to the recipient's socket). Run on the server core, it
/// shows the ceiling of the load generator itself, so a figure near it says "generator-bound".
/// </summary>
public static class RelayServer
{
    public static async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var users = new ConcurrentDictionary<string, RelayConnection>(StringComparer.Ordinal);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        Console.WriteLine($"relay listening on 127.0.0.1:{port}");
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await listener.AcceptAsync(cancellationToken);
            socket.NoDelay = true;
            _ = Task.Run(() => new RelayConnection(socket).ServeAsync(users));
        }
    }

    private sealed class RelayConnection(Socket socket)
    {
        private readonly Lock _writeLock = new();
        private long _seq;

        public async Task ServeAsync(ConcurrentDictionary<string, RelayConnection> users)
        {
            string? user = null;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = PipeReader.Create(stream);
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync();
                    var buffer = result.Buffer;
                    while (FrameReader.TryRead(ref buffer, ProtocolDefaults.MaxFrameBytes, out var payload, out _) == FrameReadStatus.Frame)
                    {
                        var frame = FrameDecoder.Decode(payload);
                        switch (frame.Body)
                        {
                            case HelloFrame hello:
                                user = new JsonWebToken(hello.Token).Subject;
                                users[user] = this;
                                Write(FrameEncoder.Encode(FrameKind.Welcome, new WelcomeFrame
                                {
                                    Version = 1, Session = "relay", User = user, HeartbeatMs = 30_000, MaxFrameBytes = ProtocolDefaults.MaxFrameBytes,
                                }));
                                break;
                            case SendFrame send:
                                var seq = Interlocked.Increment(ref _seq);
                                Write(FrameEncoder.Encode(FrameKind.Ack, new AckFrame { ClientMessageId = send.ClientMessageId, MessageId = "relay", Seq = seq }));
                                if (send.To is not null && users.TryGetValue(send.To, out var recipient))
                                {
                                    recipient.Write(FrameEncoder.Encode(FrameKind.Message, new MessageFrame
                                    {
                                        Id = "relay", Seq = seq, From = user ?? "", To = send.To, ContentType = send.ContentType, Body = send.Body,
                                    }));
                                }

                                break;
                            case PingFrame ping:
                                Write(FrameEncoder.Encode(FrameKind.Pong, new PongFrame { T = ping.T }));
                                break;
                            case SyncFrame:
                                Write(FrameEncoder.Encode(FrameKind.SyncPage, new SyncPageFrame()));
                                break;
                        }
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ImActors.Protocol.Framing.ProtocolViolationException)
            {
            }
            finally
            {
                if (user is not null)
                {
                    users.TryRemove(new KeyValuePair<string, RelayConnection>(user, this));
                }
            }
        }

        private void Write(byte[] frame)
        {
            try
            {
                lock (_writeLock)
                {
                    socket.Send(frame);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
