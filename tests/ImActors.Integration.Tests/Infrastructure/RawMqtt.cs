using System.Net.Sockets;
using System.Text;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// A bare MQTT 3.1.1 connection built byte by byte, with no client library in between: for the packets a well-behaved
/// client never sends, and to see exactly what the edge answers.
/// </summary>
public sealed class RawMqtt : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawMqtt(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawMqtt> OpenAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        return new RawMqtt(socket);
    }

    /// <summary>Opens, sends CONNECT with the user's token as the password, and checks the CONNACK accepts it.</summary>
    public static async Task<RawMqtt> ConnectAsync(int port, string user, string clientId, bool cleanSession = true, ushort keepAlive = 60)
    {
        var mqtt = await OpenAsync(port);
        await mqtt.SendAsync(Connect(clientId, Clients.Token(user), cleanSession, keepAlive));
        var connAck = await mqtt.ReceiveAsync();
        Assert.Equal(2, connAck?.Type);
        Assert.Equal(new byte[] { 0, 0 }, connAck!.Value.Body);
        return mqtt;
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>The next packet (type, flags, body), or null once the edge closed the connection.</summary>
    public async Task<(int Type, int Flags, byte[] Body)?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            var first = await ReadByteAsync(cancel.Token);
            if (first < 0)
            {
                return null;
            }

            int length = 0, multiplier = 1, b;
            do
            {
                b = await ReadByteAsync(cancel.Token);
                length += (b & 0x7F) * multiplier;
                multiplier *= 128;
            }
            while ((b & 0x80) != 0);

            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, cancel.Token);
            return (first >> 4, first & 0x0F, body);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads until the edge closes the connection; fails if it stays open past <paramref name="timeout"/>.</summary>
    public async Task<List<(int Type, int Flags, byte[] Body)>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var packets = new List<(int, int, byte[])>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ReceiveAsync(deadline - DateTime.UtcNow) is not { } packet)
                {
                    return packets;
                }

                packets.Add(packet);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Fail($"the edge did not close the connection; got packet types {string.Join(", ", packets.Select(p => p.Item1))}");
        return packets;
    }

    private async Task<int> ReadByteAsync(CancellationToken cancel)
    {
        var one = new byte[1];
        return await _stream.ReadAsync(one, cancel) == 0 ? -1 : one[0];
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    // ---- packets, by hand ----

    public static byte[] Connect(string clientId, string? password, bool cleanSession = true, ushort keepAlive = 60, string protocol = "MQTT", byte level = 4)
    {
        var flags = (byte)((cleanSession ? 0x02 : 0) | (password is not null ? 0xC0 : 0));
        var body = new List<byte>();
        body.AddRange(Str(protocol));
        body.Add(level);
        body.Add(flags);
        body.Add((byte)(keepAlive >> 8));
        body.Add((byte)keepAlive);
        body.AddRange(Str(clientId));
        if (password is not null)
        {
            body.AddRange(Str("user"));
            body.AddRange(Str(password));
        }

        return Packet(0x10, body);
    }

    public static byte[] Publish(string topic, string payload, byte qos = 1, ushort packetId = 1, bool dup = false)
    {
        var body = new List<byte>(Str(topic));
        if (qos > 0)
        {
            body.Add((byte)(packetId >> 8));
            body.Add((byte)packetId);
        }

        body.AddRange(Encoding.UTF8.GetBytes(payload));
        return Packet((byte)(0x30 | (qos << 1) | (dup ? 0x08 : 0)), body);
    }

    public static byte[] Subscribe(ushort packetId, params (string Filter, byte QoS)[] filters)
    {
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        foreach (var (filter, qos) in filters)
        {
            body.AddRange(Str(filter));
            body.Add(qos);
        }

        return Packet(0x82, body);
    }

    public static byte[] PubAck(ushort packetId) => [0x40, 2, (byte)(packetId >> 8), (byte)packetId];

    public static readonly byte[] PingReq = [0xC0, 0];

    public static readonly byte[] Disconnect = [0xE0, 0];

    public static byte[] Packet(byte first, IReadOnlyCollection<byte> body)
    {
        var bytes = new List<byte> { first };
        var length = body.Count;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);

        bytes.AddRange(body);
        return [.. bytes];
    }

    private static byte[] Str(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }
}
