using System.Buffers;
using System.Buffers.Binary;

namespace ImActors.Protocol.Framing;

public enum FrameReadStatus
{
    /// <summary>Not a whole frame yet: read more bytes.</summary>
    Incomplete,
    Frame,
    /// <summary>The length prefix announces more than the maximum. The stream cannot be trusted further.</summary>
    TooLarge,
    /// <summary>A zero-length frame: nothing a peer ever needs to send.</summary>
    Empty,
}

/// <summary>
/// Splits a byte stream into frames: a 4-byte big-endian payload length, then the payload.
/// It only looks at the prefix, so an oversized frame is refused before its bytes are buffered.
/// </summary>
public static class FrameReader
{
    public const int PrefixLength = 4;

    public static FrameReadStatus TryRead(
        ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> payload, out long announcedLength)
    {
        payload = default;
        announcedLength = 0;
        if (buffer.Length < PrefixLength)
        {
            return FrameReadStatus.Incomplete;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        announcedLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (announcedLength > maxFrameBytes)
        {
            return FrameReadStatus.TooLarge;
        }

        if (announcedLength == 0)
        {
            buffer = buffer.Slice(PrefixLength);
            return FrameReadStatus.Empty;
        }

        if (buffer.Length < PrefixLength + announcedLength)
        {
            return FrameReadStatus.Incomplete;
        }

        payload = buffer.Slice(PrefixLength, announcedLength);
        buffer = buffer.Slice(payload.End);
        return FrameReadStatus.Frame;
    }
}
