using ImActors.Grains.Interfaces.Messages;
using MessagePack;

namespace ImActors.Grains.Inbox;

/// <summary>
/// How a message is stored as a sorted-set member. The seq is the member's score, not part of the
/// member, so both copies of a 1:1 message are the same bytes and the script needs no encoding.
/// Integer keys: this format is internal and compact beats readable here.
/// </summary>
[MessagePackObject]
public sealed class LogEntry
{
    [Key(0)] public string Id { get; set; } = "";
    [Key(1)] public string From { get; set; } = "";
    [Key(2)] public string To { get; set; } = "";
    [Key(3)] public long Timestamp { get; set; }
    [Key(4)] public string ContentType { get; set; } = "";
    [Key(5)] public byte[] Body { get; set; } = [];

    public static byte[] Encode(string id, SendRequest request, long timestamp) =>
        MessagePackSerializer.Serialize(new LogEntry
        {
            Id = id,
            From = request.From,
            To = request.To,
            Timestamp = timestamp,
            ContentType = request.ContentType,
            Body = request.Body,
        });

    public static StoredMessage Decode(ReadOnlyMemory<byte> member, long seq)
    {
        var e = MessagePackSerializer.Deserialize<LogEntry>(member);
        return new StoredMessage(e.Id, seq, e.From, e.To, e.Timestamp, e.ContentType, e.Body);
    }
}
