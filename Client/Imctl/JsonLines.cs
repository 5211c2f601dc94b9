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
        group = m.Group,
        id = m.Id,
        seq = m.Seq,
        from = m.From,
        // A business service wrote it: from is "", which a reader should not take for a missing field.
        system = m.IsFromSystem,
        to = m.To,
        ts = m.Timestamp.ToUnixTimeMilliseconds(),
        text = m.Text,
        // Server events (membership changes, recalls) carry small JSON bodies: show them as they are.
        @event = m.ContentType.EndsWith("+json", StringComparison.Ordinal) ? JsonDocument.Parse(m.Body).RootElement : (JsonElement?)null,
        contentType = m.ContentType,
        bytes = m.Body.Length,
    });

    public static string Conversation(ConversationInfo c) => JsonSerializer.Serialize(new
    {
        type = c.Type,
        id = c.Id,
        lastSeq = c.LastSeq,
        readSeq = c.ReadSeq,
        unread = c.Unread,
        peerReadSeq = c.PeerReadSeq,
    });

    public static string Member(GroupMemberInfo m) => JsonSerializer.Serialize(new { user = m.User, role = m.Role, muted = m.Muted, joinedSeq = m.JoinedSeq });

    public static string Group(GroupInfo g) =>
        JsonSerializer.Serialize(new { id = g.Id, owner = g.Owner, open = g.Open, members = g.MemberCount, seq = g.Seq });

    public static string Change(GroupChangeResult c) => JsonSerializer.Serialize(new { seq = c.Seq, changed = c.Changed });

    public static string Presence(PresenceInfo p) => JsonSerializer.Serialize(new
    {
        user = p.User,
        online = p.Online,
        lastSeen = p.LastSeen?.ToUnixTimeMilliseconds(),
        devices = p.Devices.Select(d => new { device = d.Device, platform = d.Platform, since = d.Since.ToUnixTimeMilliseconds() }),
    });
}
