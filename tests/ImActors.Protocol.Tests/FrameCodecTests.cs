using System.Buffers;
using System.Buffers.Binary;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using MessagePack;

namespace ImActors.Protocol.Tests;

public sealed class FrameCodecTests
{
    public static TheoryData<FrameKind> AllKinds => FrameSamples.AllKinds;

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Sample_SetsEveryField(FrameKind kind) =>
        FrameSamples.AssertNoDefaults(FrameSamples.For(kind), kind.ToString());

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void EncodeThenDecode_KeepsKindAndEveryField(FrameKind kind)
    {
        var sent = FrameSamples.For(kind);
        var bytes = FrameSamples.Encode(kind, sent);

        var frame = FrameDecoder.Decode(new ReadOnlySequence<byte>(bytes, FrameReader.PrefixLength, bytes.Length - FrameReader.PrefixLength));

        Assert.Equal(kind, frame.Kind);
        FrameSamples.AssertSameFields(sent, frame.Body, kind.ToString());
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Encode_LengthPrefixEqualsPayloadLength(FrameKind kind)
    {
        var body = FrameSamples.For(kind);
        var bytes = FrameSamples.Encode(kind, body);

        Assert.Equal((uint)(bytes.Length - FrameReader.PrefixLength), BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    [Fact]
    public void WritePayload_IsTheEncodedFrameWithoutItsPrefix()
    {
        var body = (MessageFrame)FrameSamples.For(FrameKind.Message);
        var output = new ArrayBufferWriter<byte>();

        FrameEncoder.WritePayload(output, FrameKind.Message, body);

        Assert.Equal(FrameEncoder.Encode(FrameKind.Message, body)[FrameReader.PrefixLength..], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encode_EachCallReturnsItsOwnBytes()
    {
        // The encoder reuses a scratch buffer; a frame already handed out must not change.
        var first = FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = 1 });
        var copy = first.ToArray();

        FrameEncoder.Encode(FrameKind.Closing, new ClosingFrame { Code = 1, Reason = new string('x', 500) });

        Assert.Equal(copy, first);
    }

    [Fact]
    public void Decode_IgnoresUnknownMapKeys()
    {
        var payload = Wire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write((int)FrameKind.Ack);
            w.WriteMapHeader(4);
            w.Write("future");
            w.WriteMapHeader(1);
            w.Write("nested");
            w.WriteArrayHeader(2);
            w.Write(1);
            w.Write("two");
            w.Write("cmid");
            w.Write("c-9");
            w.Write("alsoNew");
            w.Write(3.5);
            w.Write("seq");
            w.Write(77);
        });

        var frame = FrameDecoder.Decode(new ReadOnlySequence<byte>(payload));

        var ack = Assert.IsType<AckFrame>(frame.Body);
        Assert.Equal("c-9", ack.ClientMessageId);
        Assert.Equal(77, ack.Seq);
        Assert.Equal("", ack.MessageId);
    }

    [Fact]
    public void Decode_MissingKeysKeepTheirDefaults()
    {
        var payload = Wire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write((int)FrameKind.Sync);
            w.WriteMapHeader(0);
        });

        var sync = Assert.IsType<SyncFrame>(FrameDecoder.Decode(new ReadOnlySequence<byte>(payload)).Body);

        Assert.Equal(0, sync.After);
        Assert.Equal(ProtocolDefaults.SyncPageSize, sync.Limit);
    }
}
