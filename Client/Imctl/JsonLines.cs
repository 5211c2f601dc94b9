using System.Text.Json;
using ImActors.Client;

namespace ImActors.Imctl;

/// <summary>The one-JSON-object-per-line output of imctl, for people and scripts alike.</summary>
internal static class JsonLines
{
    public static string Ack(SendReceipt ack) => JsonSerializer.Serialize(new
    {
        id = ack.MessageId,
        seq = ack.Seq,
        ts = ack.Timestamp.ToUnixTimeMilliseconds(),
        cmid = ack.ClientMessageId,
        duplicate = ack.Duplicate,
    });

    public static string Message(InboxMessage m) => JsonSerializer.Serialize(new
    {
        id = m.Id,
        seq = m.Seq,
        from = m.From,
        to = m.To,
        ts = m.Timestamp.ToUnixTimeMilliseconds(),
        text = m.Text,
        contentType = m.ContentType,
        bytes = m.Body.Length,
    });
}
