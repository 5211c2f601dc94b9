using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ImActors.Bench.Targets.Mqtt;

/// <summary>
/// The few MQTT 3.1.1 packets a load generator needs, as bytes: CONNECT, SUBSCRIBE, PUBLISH (QoS 1), PUBACK and
/// PINGREQ out; CONNACK, SUBACK, PUBLISH, PUBACK and PINGRESP in. A full client library would do more per message than
/// the server it measures can afford to be charged for on a shared core (decision 129).
/// </summary>
public static class MqttClientPackets
{
    public const byte Connack = 2;
    public const byte Publish = 3;
    public const byte Puback = 4;
    public const byte Suback = 9;
    public const byte Pingresp = 13;

    public static readonly byte[] Pingreq = [0xC0, 0x00];

    /// <summary>MQTT 3.1.1 CONNECT; a null <paramref name="password"/> connects anonymously (no user name either).</summary>
    public static byte[] Connect(string clientId, string? userName, string? password, bool cleanSession, ushort keepAliveSeconds)
    {
        var body = new ArrayBufferWriter<byte>(256);
        WriteString(body, "MQTT");
        var flags = (byte)((cleanSession ? 0x02 : 0) | (password is null ? 0 : 0xC0));
        body.Write<byte>([4, flags, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds]);
        WriteString(body, clientId);
        if (password is not null)
        {
            WriteString(body, userName ?? clientId);
            WriteString(body, password);
        }

        return Packet(0x10, body.WrittenSpan);
    }

    /// <summary>SUBSCRIBE to one topic filter at QoS 1.</summary>
    public static byte[] Subscribe(ushort packetId, string topic)
    {
        var body = new ArrayBufferWriter<byte>(64);
        body.Write<byte>([(byte)(packetId >> 8), (byte)packetId]);
        WriteString(body, topic);
        body.Write<byte>([1]);
        return Packet(0x82, body.WrittenSpan);
    }

    /// <summary>PUBLISH at QoS 1 to a topic whose bytes the caller encoded once.</summary>
    public static byte[] Publish1(ReadOnlySpan<byte> topic, ushort packetId, ReadOnlySpan<byte> payload)
    {
        var remaining = 2 + topic.Length + 2 + payload.Length;
        var packet = new byte[1 + LengthBytes(remaining) + remaining];
        packet[0] = 0x32;
        var at = 1 + WriteLength(packet.AsSpan(1), remaining);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), (ushort)topic.Length);
        topic.CopyTo(packet.AsSpan(at + 2));
        at += 2 + topic.Length;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), packetId);
        payload.CopyTo(packet.AsSpan(at + 2));
        return packet;
    }

    public static void WritePuback(Span<byte> destination, ushort packetId)
    {
        destination[0] = 0x40;
        destination[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], packetId);
    }

    /// <summary>Cuts one whole packet off the front of <paramref name="buffer"/>: its type (high nibble), flags and body.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out byte type, out byte flags, out ReadOnlySequence<byte> body)
    {
        (type, flags, body) = (0, 0, default);
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            if (shift > 21)
            {
                throw new IOException("the server sent a malformed remaining length");
            }

            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        (type, flags) = ((byte)(first >> 4), (byte)(first & 0x0F));
        body = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>A PUBLISH's topic, packet id (0 at QoS 0) and payload.</summary>
    public static (ReadOnlySequence<byte> Topic, ushort PacketId, ReadOnlySequence<byte> Payload) ReadPublish(byte flags, ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        reader.TryReadBigEndian(out short topicLength);
        var topic = body.Slice(2, (ushort)topicLength);
        reader.Advance((ushort)topicLength);
        ushort packetId = 0;
        if ((flags & 0x06) != 0)
        {
            reader.TryReadBigEndian(out short id);
            packetId = (ushort)id;
        }

        return (topic, packetId, body.Slice(reader.Position));
    }

    public static ushort ReadPacketId(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        return reader.TryReadBigEndian(out short id) ? (ushort)id : (ushort)0;
    }

    private static byte[] Packet(byte header, ReadOnlySpan<byte> body)
    {
        var packet = new byte[1 + LengthBytes(body.Length) + body.Length];
        packet[0] = header;
        var at = 1 + WriteLength(packet.AsSpan(1), body.Length);
        body.CopyTo(packet.AsSpan(at));
        return packet;
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        output.Write<byte>([(byte)(bytes.Length >> 8), (byte)bytes.Length]);
        output.Write(bytes);
    }

    private static int LengthBytes(int length) => length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;

    private static int WriteLength(Span<byte> destination, int length)
    {
        var i = 0;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            destination[i++] = (byte)(length > 0 ? b | 0x80 : b);
        }
        while (length > 0);
        return i;
    }
}
