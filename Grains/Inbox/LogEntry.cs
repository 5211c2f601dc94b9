using System.Buffers.Text;
using ImActors.Grains.Interfaces.Messages;
using MessagePack;

namespace ImActors.Grains.Inbox;

/// <summary>
/// How a message is stored as a sorted-set member: the MessagePack entry, then for 1:1 copies
/// <c>|peerSeq</c> (the message's seq in the other inbox), appended by the script that allocates it.
/// The seq itself is the member's score, not part of the member. Integer keys: this format is internal
/// and compact beats readable here.
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
        Encode(id, request.From, request.To, timestamp, request.ContentType, request.Body);

    public static byte[] Encode(string id, string from, string to, long timestamp, string contentType, byte[] body) =>
        MessagePackSerializer.Serialize(new LogEntry { Id = id, From = from, To = to, Timestamp = timestamp, ContentType = contentType, Body = body });

    /// <summary>A stored member with its peer-seq suffix, as the append script writes it.</summary>
    public static byte[] WithPeerSeq(byte[] entry, long peerSeq) =>
        [.. entry, (byte)'|', .. System.Text.Encoding.ASCII.GetBytes(peerSeq.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static StoredMessage Decode(ReadOnlyMemory<byte> member, long seq, string? group = null)
    {
        var e = MessagePackSerializer.Deserialize<LogEntry>(member, out var read);
        long peerSeq = 0;
        var rest = member.Span[read..];
        if (rest.Length > 1 && rest[0] == (byte)'|')
        {
            Utf8Parser.TryParse(rest[1..], out peerSeq, out _);
        }

        return new StoredMessage(e.Id, seq, e.From, e.To, e.Timestamp, e.ContentType, e.Body, group, peerSeq);
    }
}
