using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImActors.Bench.Load;

namespace ImActors.Bench.Targets.Mqtt;

/// <summary>
/// One MQTT 3.1.1 connection of one user, subscribed to its inbox topic at QoS 1. A 1:1 send is a QoS 1 PUBLISH whose
/// PUBACK is the ACK; a delivery is a PUBLISH on the inbox topic, PUBACKed at once. Like <see cref="ProtocolConnection"/>
/// it writes from the open-loop thread and counts failures instead of retrying.
/// </summary>
public sealed class MqttBenchConnection : IBenchConnection
{
    /// <summary>The server closes a connection silent for 1.5 keep-alives; the run's timer pings every 30 s.</summary>
    private const ushort KeepAliveSeconds = 60;

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly MqttDialect _dialect;
    private readonly LoadCounters _counters;
    private readonly byte[] _self;
    private readonly Lock _writeLock = new();
    private readonly CancellationTokenSource _stop = new();
    // Due times of the measured publishes not PUBACKed yet, by packet id: the ACK latency is measured from them.
    private readonly ConcurrentDictionary<ushort, long> _due = new();
    private Task _receiveLoop = Task.CompletedTask;
    private int _packetIds;
    private (string To, byte[] Topic) _lastTopic = ("", []);

    private MqttBenchConnection(Socket socket, string user, MqttDialect dialect, LoadCounters counters)
    {
        _socket = socket;
        _reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
        _dialect = dialect;
        _counters = counters;
        _self = Encoding.UTF8.GetBytes(user);
        User = user;
    }

    public string User { get; }

    /// <summary>Connects (the client id is the user name), waits for CONNACK 0, subscribes to the inbox and waits for its SUBACK.</summary>
    public static async Task<MqttBenchConnection> ConnectAsync(
        EndPoint server, IPAddress? source, string user, string? password, MqttDialect dialect, LoadCounters counters, CancellationToken cancellationToken)
    {
        var socket = await SourceAddressSocket.ConnectAsync(server, source, cancellationToken);
        var connection = new MqttBenchConnection(socket, user, dialect, counters);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                connection.Write(MqttClientPackets.Connect(user, user, password, cleanSession: true, KeepAliveSeconds));
                var connack = await connection.ReadHandshakeAsync(MqttClientPackets.Connack, handshake.Token);
                // The body is the session-present flag, then the return code.
                if (connack.Length < 2 || connack[1] != 0)
                {
                    throw new IOException($"CONNACK refused with code {(connack.Length < 2 ? -1 : connack[1])}");
                }

                connection.Write(MqttClientPackets.Subscribe(connection.NextPacketId(), MqttDialect.InboxTopic(user)));
                var suback = await connection.ReadHandshakeAsync(MqttClientPackets.Suback, handshake.Token);
                // The body is the packet id, then one return code per filter: 0x80 is a refusal.
                if (suback.Length < 3 || suback[2] > 1)
                {
                    throw new IOException($"the subscription to {MqttDialect.InboxTopic(user)} was refused");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HandshakeTimeoutException($"no CONNACK or SUBACK within {HandshakeTimeout.TotalSeconds:0} s");
            }

            connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void SendDirect(string to, byte[] body)
    {
        // A sender always writes to the same partner: the topic is encoded once, not per message.
        if (_lastTopic.To != to)
        {
            _lastTopic = (to, Encoding.UTF8.GetBytes(_dialect.SendTopic(to)));
        }

        var id = NextPacketId();
        if (MessageStamp.TryRead(body, out var scheduled, out var measured) && measured)
        {
            _due[id] = scheduled;
        }

        try
        {
            Write(MqttClientPackets.Publish1(_lastTopic.Topic, id, body));
            _counters.OnSent();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            _counters.OnError("send failed: " + e.Message);
        }
    }

    public void SendGroup(string group, byte[] body) =>
        throw new NotSupportedException("the MQTT targets measure 1:1 messages only");

    public Task JoinGroupAsync(string group, IReadOnlyList<string> members, bool creator, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the MQTT targets measure 1:1 messages only");

    public void Heartbeat()
    {
        try
        {
            Write(MqttClientPackets.Pingreq);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            _counters.OnError("ping failed: " + e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiveLoop;
        }
        catch (Exception)
        {
            // The loop ends with whatever the closed socket threw.
        }

        await _reader.CompleteAsync();
    }

    // Packet ids 1-65535, then round again: far more than a connection ever has in flight.
    private ushort NextPacketId() => (ushort)(Interlocked.Increment(ref _packetIds) % 65535 + 1);

    /// <summary>The body (after the fixed header) of the next packet, which must be of the <paramref name="expected"/> type.</summary>
    private async Task<byte[]> ReadHandshakeAsync(byte expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (MqttClientPackets.TryRead(ref buffer, out var type, out _, out var body))
            {
                // Copied before AdvanceTo: the pipe may reuse the memory after it.
                var copy = body.ToArray();
                _reader.AdvanceTo(buffer.Start);
                return type == expected ? copy : throw new IOException($"expected MQTT packet type {expected}, got {type}");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection during the handshake");
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        // The PUBACKs for every PUBLISH of one read go out in one write.
        var pubacks = new byte[4 * 256];
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                int acks;
                do
                {
                    acks = Handle(ref buffer, pubacks);
                    if (acks > 0)
                    {
                        Write(pubacks.AsSpan(0, acks * 4));
                    }
                }
                while (acks == pubacks.Length / 4);

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!_stop.IsCancellationRequested)
                    {
                        _counters.OnError("connection lost: the server closed it");
                    }

                    return;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _counters.OnError("connection lost: " + e.Message);
        }
    }

    /// <summary>Handles every whole packet in the buffer; returns how many PUBACKs it wrote into <paramref name="pubacks"/>.</summary>
    private int Handle(ref ReadOnlySequence<byte> buffer, byte[] pubacks)
    {
        Span<byte> stamp = stackalloc byte[MessageStamp.MinSize];
        var acks = 0;
        while (acks < pubacks.Length / 4 && MqttClientPackets.TryRead(ref buffer, out var type, out var flags, out var body))
        {
            switch (type)
            {
                case MqttClientPackets.Publish:
                    var (_, id, payload) = MqttClientPackets.ReadPublish(flags, body);
                    if (_dialect.TryReadStamp(payload, _self, stamp))
                    {
                        _counters.OnDelivered(stamp);
                    }

                    if (id != 0)
                    {
                        MqttClientPackets.WritePuback(pubacks.AsSpan(acks++ * 4), id);
                    }

                    break;
                case MqttClientPackets.Puback:
                    _counters.OnAcked(_due.TryRemove(MqttClientPackets.ReadPacketId(body), out var due) ? due : 0);
                    break;
            }
        }

        return acks;
    }

    private void Write(ReadOnlySpan<byte> packet)
    {
        // Blocking write from the open-loop thread, as ProtocolConnection does: a full socket buffer holds the
        // schedule up, and the messages behind it are then measured late from their due time.
        lock (_writeLock)
        {
            while (!packet.IsEmpty)
            {
                packet = packet[_socket.Send(packet, SocketFlags.None)..];
            }
        }
    }
}
