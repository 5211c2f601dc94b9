using System.Buffers;
using MessagePack;

namespace ImActors.Protocol.Tests;

/// <summary>Hand-written MessagePack, for payloads the encoder would never produce.</summary>
internal static class Wire
{
    public delegate void WriteAction(ref MessagePackWriter writer);

    public static byte[] Write(WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
