using System.Buffers;
using System.Text;
using System.Text.Json;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// What the bytes of an MQTT PUBLISH mean here (decision 117). A client's PUBLISH payload is the message body as is;
/// a push is a JSON object naming the sender, the seq and the id, since MQTT 3.1.1 has nowhere else to carry them.
/// </summary>
public static class MqttPayloads
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A sent payload is <c>text/plain</c> when it is UTF-8 (what mosquitto_pub and most clients send), else bytes.</summary>
    public static string ContentTypeOf(byte[] payload)
    {
        try
        {
            StrictUtf8.GetCharCount(payload);
            return ContentTypes.Text;
        }
        catch (DecoderFallbackException)
        {
            return "application/octet-stream";
        }
    }

    /// <summary>
    /// <c>{"id","seq","from","to","group","ts","contentType","body"}</c>: <c>body</c> is the text for a <c>text/*</c> or JSON
    /// body that is UTF-8; otherwise <c>bodyBase64</c> carries the bytes.
    /// </summary>
    public static void WriteMessage(IBufferWriter<byte> output, MessageFrame message)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("id", message.Id);
        json.WriteNumber("seq", message.Seq);
        json.WriteString("from", message.From);
        json.WriteString("to", message.To);
        if (message.Group is { } group)
        {
            json.WriteString("group", group);
        }

        json.WriteNumber("ts", message.Timestamp);
        json.WriteString("contentType", message.ContentType);
        if (IsText(message.ContentType) && IsUtf8(message.Body))
        {
            json.WriteString("body", Encoding.UTF8.GetString(message.Body));
        }
        else
        {
            json.WriteBase64String("bodyBase64", message.Body);
        }

        json.WriteEndObject();
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static bool IsUtf8(byte[] bytes) => ContentTypeOf(bytes) == ContentTypes.Text;
}
