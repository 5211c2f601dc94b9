using System.Text.Json;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>A pushed message as an MQTT client reads it: the JSON object of docs/mqtt.md.</summary>
public sealed record MqttPush(string Id, long Seq, string From, string To, string? Group, string ContentType, string? Body)
{
    public static MqttPush Parse(ReadOnlySpan<byte> payload)
    {
        using var json = JsonDocument.Parse(payload.ToArray());
        var root = json.RootElement;
        return new MqttPush(
            root.GetProperty("id").GetString()!, root.GetProperty("seq").GetInt64(), root.GetProperty("from").GetString()!,
            root.GetProperty("to").GetString()!, root.TryGetProperty("group", out var group) ? group.GetString() : null,
            root.GetProperty("contentType").GetString()!, root.TryGetProperty("body", out var body) ? body.GetString() : null);
    }

    /// <summary>A PUBLISH packet's topic and push, from the raw body of a QoS 1 PUBLISH (topic, packet id, payload).</summary>
    public static (string Topic, ushort PacketId, MqttPush Push) FromPublish(byte[] body)
    {
        var topicLength = (body[0] << 8) | body[1];
        var topic = System.Text.Encoding.UTF8.GetString(body, 2, topicLength);
        var packetId = (ushort)((body[2 + topicLength] << 8) | body[3 + topicLength]);
        return (topic, packetId, Parse(body.AsSpan(4 + topicLength)));
    }
}
