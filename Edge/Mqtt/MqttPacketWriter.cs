using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ImActors.Edge.Mqtt;

/// <summary>Writes the MQTT 3.1.1 packets a server sends into a buffer writer (a pipe's, so one flush carries a batch).</summary>
public static class MqttPacketWriter
{
    public static void ConnAck(IBufferWriter<byte> output, bool sessionPresent, byte code) =>
        Fixed(output, MqttPacketType.ConnAck, 0, [sessionPresent ? (byte)1 : (byte)0, code]);

    public static void PubAck(IBufferWriter<byte> output, ushort packetId) => WithPacketId(output, MqttPacketType.PubAck, 0, packetId);

    public static void UnsubAck(IBufferWriter<byte> output, ushort packetId) => WithPacketId(output, MqttPacketType.UnsubAck, 0, packetId);

    public static void PingResp(IBufferWriter<byte> output) => Fixed(output, MqttPacketType.PingResp, 0, []);

    /// <param name="results">One per filter: the QoS granted, or 0x80 for a refusal.</param>
    public static void SubAck(IBufferWriter<byte> output, ushort packetId, ReadOnlySpan<byte> results)
    {
        Header(output, MqttPacketType.SubAck, 0, 2 + results.Length);
        var span = output.GetSpan(2 + results.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, packetId);
        results.CopyTo(span[2..]);
        output.Advance(2 + results.Length);
    }

    /// <param name="packetId">Ignored for QoS 0.</param>
    public static void Publish(IBufferWriter<byte> output, string topic, byte qos, ushort packetId, ReadOnlySpan<byte> payload)
    {
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        var length = 2 + topicBytes + (qos > 0 ? 2 : 0) + payload.Length;
        Header(output, MqttPacketType.Publish, (byte)(qos << 1), length);
        var span = output.GetSpan(length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)topicBytes);
        Encoding.UTF8.GetBytes(topic, span[2..]);
        var at = 2 + topicBytes;
        if (qos > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], packetId);
            at += 2;
        }

        payload.CopyTo(span[at..]);
        output.Advance(length);
    }

    private static void WithPacketId(IBufferWriter<byte> output, MqttPacketType type, byte flags, ushort packetId) =>
        Fixed(output, type, flags, [(byte)(packetId >> 8), (byte)packetId]);

    private static void Fixed(IBufferWriter<byte> output, MqttPacketType type, byte flags, ReadOnlySpan<byte> body)
    {
        Header(output, type, flags, body.Length);
        output.Write(body);
    }

    private static void Header(IBufferWriter<byte> output, MqttPacketType type, byte flags, int remainingLength)
    {
        var span = output.GetSpan(5);
        span[0] = (byte)(((byte)type << 4) | flags);
        var at = 1;
        do
        {
            var b = (byte)(remainingLength % 128);
            remainingLength /= 128;
            span[at++] = remainingLength > 0 ? (byte)(b | 0x80) : b;
        }
        while (remainingLength > 0);

        output.Advance(at);
    }
}
