using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Edge.Delivery;

/// <summary>The one place stored messages and notices become wire frames.</summary>
public static class MessageFrames
{
    public static MessageFrame From(StoredMessage m) => new()
    {
        Group = m.Group, Id = m.Id, Seq = m.Seq, From = m.From, To = m.To, Timestamp = m.Timestamp, ContentType = m.ContentType, Body = m.Body,
    };

    /// <summary>The encoded frame (length prefix included) of a notice.</summary>
    public static byte[] Encode(Notice notice) => notice.Kind switch
    {
        NoticeKind.Typing => FrameEncoder.Encode(FrameKind.Typing, new TypingFrame { From = notice.From, Group = notice.Group }),
        NoticeKind.ReadState => FrameEncoder.Encode(FrameKind.ReadState,
            new ReadStateFrame { Peer = notice.Peer, Group = notice.Group, ReadSeq = notice.Seq, Unread = notice.Unread }),
        NoticeKind.Receipt => FrameEncoder.Encode(FrameKind.Receipt, new ReceiptFrame { Peer = notice.From, Seq = notice.Seq }),
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "unknown notice kind"),
    };
}
