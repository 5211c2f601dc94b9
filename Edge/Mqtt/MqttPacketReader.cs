using System.Buffers;
using System.Text;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// Cuts MQTT 3.1.1 packets from a pipe's buffer and decodes the ones a client may send. Anything the specification
/// calls malformed (a remaining length over four bytes, wrong fixed-header flags, a string that is not UTF-8, a packet
/// that ends early or has bytes left over) and any packet over the size limit throws <see cref="MqttProtocolException"/>:
/// MQTT's answer to all of them is closing the connection. The size is judged from the fixed header alone, before the
/// body is buffered.
/// </summary>
public static class MqttPacketReader
{
    /// <summary>The largest remaining length four bytes can say (3.1.1 section 2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>True with a packet when a whole one is in <paramref name="buffer"/>, which then starts after it; false when more bytes are needed.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketBytes, out MqttPacket packet)
    {
        packet = null!;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        var length = 0;
        var multiplier = 1;
        for (var i = 0; ; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            if (i == 3 && (b & 0x80) != 0)
            {
                throw new MqttProtocolException("malformed remaining length: more than four bytes");
            }

            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (length > maxPacketBytes)
        {
            throw new MqttProtocolException($"packet of {length} bytes is over the maximum of {maxPacketBytes}");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        var body = buffer.Slice(reader.Position, length);
        packet = Decode((MqttPacketType)(first >> 4), (byte)(first & 0x0F), body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private static MqttPacket Decode(MqttPacketType type, byte flags, ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => Connect(ref reader, Flags(type, flags, 0)),
            MqttPacketType.Publish => Publish(ref reader, flags),
            MqttPacketType.PubAck => new PubAckPacket(PacketId(ref reader, Flags(type, flags, 0))),
            MqttPacketType.Subscribe => Subscribe(ref reader, Flags(type, flags, 2)),
            MqttPacketType.Unsubscribe => Unsubscribe(ref reader, Flags(type, flags, 2)),
            MqttPacketType.PingReq => Flags(type, flags, 0) == 0 ? PingReqPacket.Instance : null!,
            MqttPacketType.Disconnect => Flags(type, flags, 0) == 0 ? DisconnectPacket.Instance : null!,
            // PUBREC, PUBREL and PUBCOMP only follow a QoS 2 PUBLISH, which this server neither sends nor accepts.
            _ => throw new MqttProtocolException($"packet type {(int)type} is not accepted from a client"),
        };
        if (reader.Remaining != 0)
        {
            throw new MqttProtocolException($"{type} has {reader.Remaining} bytes past its end");
        }

        return packet;
    }

    private static byte Flags(MqttPacketType type, byte flags, byte required) =>
        flags == required ? flags : throw new MqttProtocolException($"{type} must have fixed-header flags {required}, not {flags}");

    private static ConnectPacket Connect(ref SequenceReader<byte> reader, byte _)
    {
        var protocol = String(ref reader);
        var level = Byte(ref reader);
        if (protocol != "MQTT" || level != 4)
        {
            // Another version's CONNECT has another layout (MQTT 5 adds properties): it is answered with CONNACK 1, unread.
            reader.AdvanceToEnd();
            return new ConnectPacket(protocol, level, true, 0, "", null, null, false);
        }

        var connectFlags = Byte(ref reader);
        if ((connectFlags & 0x01) != 0)
        {
            throw new MqttProtocolException("CONNECT's reserved flag is set");
        }

        var keepAlive = UInt16(ref reader);
        var clientId = String(ref reader);
        var hasWill = (connectFlags & 0x04) != 0;
        if (hasWill)
        {
            String(ref reader);
            Binary(ref reader);
        }

        var userName = (connectFlags & 0x80) != 0 ? String(ref reader) : null;
        var password = (connectFlags & 0x40) != 0 ? Binary(ref reader) : null;
        return new ConnectPacket(protocol, level, (connectFlags & 0x02) != 0, keepAlive, clientId, userName, password, hasWill);
    }

    private static PublishPacket Publish(ref SequenceReader<byte> reader, byte flags)
    {
        var qos = (byte)((flags >> 1) & 0x03);
        if (qos == 3)
        {
            throw new MqttProtocolException("PUBLISH with QoS 3");
        }

        var topic = String(ref reader);
        var packetId = qos > 0 ? PacketId(ref reader, 0) : (ushort)0;
        var payload = reader.UnreadSequence.ToArray();
        reader.AdvanceToEnd();
        return new PublishPacket(topic, qos, (flags & 0x08) != 0, (flags & 0x01) != 0, packetId, payload);
    }

    private static SubscribePacket Subscribe(ref SequenceReader<byte> reader, byte _)
    {
        var packetId = PacketId(ref reader, 0);
        var filters = new List<(string, byte)>();
        while (reader.Remaining > 0)
        {
            var filter = String(ref reader);
            var qos = Byte(ref reader);
            if (qos > 2)
            {
                throw new MqttProtocolException("SUBSCRIBE asks for a QoS over 2 or sets reserved bits");
            }

            filters.Add((filter, qos));
        }

        return filters.Count > 0 ? new SubscribePacket(packetId, filters) : throw new MqttProtocolException("SUBSCRIBE with no topic filter");
    }

    private static UnsubscribePacket Unsubscribe(ref SequenceReader<byte> reader, byte _)
    {
        var packetId = PacketId(ref reader, 0);
        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            filters.Add(String(ref reader));
        }

        return filters.Count > 0 ? new UnsubscribePacket(packetId, filters) : throw new MqttProtocolException("UNSUBSCRIBE with no topic filter");
    }

    private static ushort PacketId(ref SequenceReader<byte> reader, byte _)
    {
        var id = UInt16(ref reader);
        return id != 0 ? id : throw new MqttProtocolException("packet identifier 0");
    }

    private static byte Byte(ref SequenceReader<byte> reader) =>
        reader.TryRead(out var b) ? b : throw new MqttProtocolException("packet ends early");

    private static ushort UInt16(ref SequenceReader<byte> reader) =>
        reader.TryReadBigEndian(out short value) ? (ushort)value : throw new MqttProtocolException("packet ends early");

    private static byte[] Binary(ref SequenceReader<byte> reader)
    {
        var length = UInt16(ref reader);
        if (reader.Remaining < length)
        {
            throw new MqttProtocolException("packet ends early");
        }

        var bytes = reader.UnreadSequence.Slice(0, length).ToArray();
        reader.Advance(length);
        return bytes;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A UTF-8 string: well-formed and free of U+0000, or the connection is closed (3.1.1 section 1.5.3).</summary>
    private static string String(ref SequenceReader<byte> reader)
    {
        var bytes = Binary(ref reader);
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MqttProtocolException("a string is not well-formed UTF-8");
        }

        return text.Contains('\0') ? throw new MqttProtocolException("a string contains U+0000") : text;
    }
}
