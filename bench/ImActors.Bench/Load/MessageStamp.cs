using System.Buffers.Binary;

namespace ImActors.Bench.Load;

/// <summary>
/// A message body that carries its own scheduled send time (Stopwatch ticks) in its first 8 bytes and
/// whether it counts (sent after the warm-up) in the 9th; the rest is padding up to the chosen size.
/// Sender and recipient live in the same generator process, so one clock serves both ends.
/// </summary>
public static class MessageStamp
{
    public const int MinSize = 9;

    public static byte[] Create(int size, long scheduledTimestamp, bool measured)
    {
        var body = new byte[Math.Max(size, MinSize)];
        BinaryPrimitives.WriteInt64LittleEndian(body, scheduledTimestamp);
        body[8] = measured ? (byte)1 : (byte)0;
        return body;
    }

    public static bool TryRead(ReadOnlySpan<byte> body, out long scheduledTimestamp, out bool measured)
    {
        if (body.Length < MinSize)
        {
            (scheduledTimestamp, measured) = (0, false);
            return false;
        }

        scheduledTimestamp = BinaryPrimitives.ReadInt64LittleEndian(body);
        measured = body[8] == 1;
        return true;
    }
}
