using System.Buffers;
using System.Buffers.Binary;
using ImActors.Protocol.Frames;
using MessagePack;

namespace ImActors.Protocol.Framing;

/// <summary>
/// Turns a frame into its bytes on the wire: length prefix + MessagePack <c>[kind, body]</c>.
/// A frame is encoded once and the same bytes are written to every connection that receives it.
/// </summary>
public static class FrameEncoder
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_scratch;

    public static byte[] Encode<T>(FrameKind kind, T body)
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        WritePayload(scratch, kind, body);

        var frame = new byte[FrameReader.PrefixLength + scratch.WrittenCount];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)scratch.WrittenCount);
        scratch.WrittenSpan.CopyTo(frame.AsSpan(FrameReader.PrefixLength));
        return frame;
    }

    /// <summary>Writes the payload alone (no length prefix): what a WebSocket message carries.</summary>
    public static void WritePayload<T>(IBufferWriter<byte> output, FrameKind kind, T body)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(2);
        writer.Write((int)kind);
        MessagePackSerializer.Serialize(ref writer, body, WireOptions.Instance);
        writer.Flush();
    }
}
