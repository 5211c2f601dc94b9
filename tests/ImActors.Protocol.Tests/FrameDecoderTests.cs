using System.Buffers;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using MessagePack;

namespace ImActors.Protocol.Tests;

/// <summary>What the decoder does with payloads a well-behaved peer never sends.</summary>
public sealed class FrameDecoderTests
{
    [Fact]
    public void Decode_RejectsNonArrayPayload_AsMalformed() =>
        AssertMalformed(Wire.Write((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("kind");
            w.Write((int)FrameKind.Ping);
        }));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Decode_RejectsArrayOfWrongLength_AsMalformed(int length) =>
        AssertMalformed(Wire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(length);
            for (var i = 0; i < length; i++)
            {
                if (i == 0)
                {
                    w.Write((int)FrameKind.Ping);
                }
                else
                {
                    w.WriteMapHeader(0);
                }
            }
        }));

    [Fact]
    public void Decode_RejectsStringKind_AsMalformed() =>
        AssertMalformed(Frame("ping", EmptyMap));

    [Fact]
    public void Decode_RejectsNilKind_AsMalformed() =>
        AssertMalformed(Frame(null, EmptyMap));

    [Fact]
    public void Decode_RejectsFloatKind_AsMalformed() =>
        AssertMalformed(Frame(10.0, EmptyMap));

    [Fact]
    public void Decode_RejectsKindBeyondInt32_AsMalformed() =>
        AssertMalformed(Frame((long)int.MaxValue + 1 + (long)FrameKind.Ping, EmptyMap));

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Decode_RejectsUnknownKindNumber_AsUnknownKind(int kind)
    {
        var e = Assert.Throws<ProtocolViolationException>(() => Decode(Frame(kind, EmptyMap)));

        Assert.Equal(ErrorCodes.UnknownKind, e.Code);
    }

    [Fact]
    public void Decode_RejectsArrayBody_AsMalformed() =>
        AssertMalformed(Frame((int)FrameKind.Ping, new[] { 5L }));

    [Fact]
    public void Decode_RejectsNilBody_AsMalformed() =>
        AssertMalformed(Frame((int)FrameKind.Ping, null));

    [Fact]
    public void Decode_RejectsFieldOfWrongType_AsMalformed() =>
        AssertMalformed(Frame((int)FrameKind.Ping, new Dictionary<string, object> { ["t"] = "not a number" }));

    [Theory]
    [MemberData(nameof(FrameCodecTests.AllKinds), MemberType = typeof(FrameCodecTests))]
    public void Decode_RejectsEveryTruncation_AsMalformed(FrameKind kind)
    {
        var payload = FrameSamples.Encode(kind, FrameSamples.For(kind))[FrameReader.PrefixLength..];

        for (var length = 0; length < payload.Length; length++)
        {
            AssertMalformed(payload[..length]);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC0 })]
    [InlineData(new byte[] { 0x00, 0x01 })]
    [InlineData(new byte[] { 0x80 })]
    public void Decode_RejectsTrailingBytes_AsMalformed(byte[] trailing)
    {
        var payload = FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = 3 })[FrameReader.PrefixLength..];

        AssertMalformed([.. payload, .. trailing]);
    }

    [Fact]
    public void Decode_RandomBytes_EitherDecodesOrThrowsProtocolViolation()
    {
        var random = new Random(20240601);
        for (var i = 0; i < 5000; i++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            if (payload.Length > 1 && i % 2 == 0)
            {
                payload[0] = 0x92; // array of two, so more of them reach the body
            }

            AssertDecodesOrViolates(payload, $"random #{i}");
        }
    }

    [Fact]
    public void Decode_MutatedValidFrames_EitherDecodeOrThrowProtocolViolation()
    {
        var random = new Random(7);
        var valid = Enum.GetValues<FrameKind>()
            .Select(kind => FrameSamples.Encode(kind, FrameSamples.For(kind))[FrameReader.PrefixLength..])
            .ToArray();
        for (var i = 0; i < 5000; i++)
        {
            var payload = valid[random.Next(valid.Length)].ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                payload[random.Next(payload.Length)] = (byte)random.Next(256);
            }

            AssertDecodesOrViolates(payload, $"mutation #{i}");
        }
    }

    private static Frame Decode(byte[] payload) => FrameDecoder.Decode(Sequences.Chunked(payload, 3, 1));

    private static void AssertMalformed(byte[] payload)
    {
        var e = Assert.Throws<ProtocolViolationException>(() => Decode(payload));
        Assert.Equal(ErrorCodes.MalformedFrame, e.Code);
    }

    private static void AssertDecodesOrViolates(byte[] payload, string what)
    {
        try
        {
            FrameDecoder.Decode(new ReadOnlySequence<byte>(payload));
        }
        catch (ProtocolViolationException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{what} [{Convert.ToHexString(payload)}] threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static readonly Dictionary<string, object> EmptyMap = [];

    /// <summary><c>[kind, body]</c> with each part whatever MessagePack makes of the given value.</summary>
    private static byte[] Frame(object? kind, object? body) =>
        [0x92, .. MessagePackSerializer.Serialize(kind), .. MessagePackSerializer.Serialize(body)];
}
