using System.Buffers;
using System.Buffers.Binary;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Protocol.Tests;

public sealed class FrameReaderTests
{
    private const int Max = ProtocolDefaults.MaxFrameBytes;

    [Fact]
    public void TryRead_WholeFrame_ReturnsPayloadAndConsumesIt()
    {
        var frame = Ping(42);
        var buffer = Sequences.Single(frame);

        var status = FrameReader.TryRead(ref buffer, Max, out var payload, out var announced);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(frame.Length - FrameReader.PrefixLength, announced);
        Assert.Equal(frame[FrameReader.PrefixLength..], payload.ToArray());
        Assert.True(buffer.IsEmpty);
        Assert.Equal(42, Assert.IsType<PingFrame>(FrameDecoder.Decode(payload).Body).T);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2, 3)]
    [InlineData(3, 1, 5)]
    [InlineData(5)]
    public void TryRead_FrameSplitAcrossSegments_ReturnsWholePayload(params int[] segmentSizes)
    {
        var frame = FrameEncoder.Encode(FrameKind.Closing, new ClosingFrame { Code = ErrorCodes.Kicked, Reason = "bye" });
        var buffer = Sequences.Chunked(frame, segmentSizes);
        Assert.False(buffer.IsSingleSegment);

        var status = FrameReader.TryRead(ref buffer, Max, out var payload, out _);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(frame[FrameReader.PrefixLength..], payload.ToArray());
        Assert.True(buffer.IsEmpty);
        var closing = Assert.IsType<ClosingFrame>(FrameDecoder.Decode(payload).Body);
        Assert.Equal("bye", closing.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TryRead_IncompletePrefix_ReturnsIncompleteAndConsumesNothing(int available)
    {
        var buffer = Sequences.Single(Ping(1)[..available]);

        var status = FrameReader.TryRead(ref buffer, Max, out _, out _);

        Assert.Equal(FrameReadStatus.Incomplete, status);
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void TryRead_IncompleteBody_ReturnsIncompleteAndConsumesNothing()
    {
        var frame = Ping(1);
        var buffer = Sequences.Chunked(frame[..^1], 2);

        var status = FrameReader.TryRead(ref buffer, Max, out _, out var announced);

        Assert.Equal(FrameReadStatus.Incomplete, status);
        Assert.Equal(frame.Length - 1, buffer.Length);
        Assert.Equal(frame.Length - FrameReader.PrefixLength, announced);
    }

    [Fact]
    public void TryRead_TwoFramesBackToBack_ReturnsThemInTurn()
    {
        var buffer = Sequences.Chunked([.. Ping(1), .. Ping(2)], 3);

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var first, out _));
        Assert.Equal(1, Assert.IsType<PingFrame>(FrameDecoder.Decode(first).Body).T);
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var second, out _));
        Assert.Equal(2, Assert.IsType<PingFrame>(FrameDecoder.Decode(second).Body).T);
        Assert.Equal(FrameReadStatus.Incomplete, FrameReader.TryRead(ref buffer, Max, out _, out _));
    }

    [Theory]
    [InlineData(Max + 1L)]
    [InlineData(4294967295L)]
    public void TryRead_LengthOverMaximum_ReturnsTooLargeFromThePrefixAlone(long length)
    {
        var buffer = Sequences.Single(Prefix((uint)length));

        var status = FrameReader.TryRead(ref buffer, Max, out _, out var announced);

        Assert.Equal(FrameReadStatus.TooLarge, status);
        Assert.Equal(length, announced);
    }

    [Fact]
    public void TryRead_ZeroLength_ReturnsEmptyAndSkipsThePrefix()
    {
        var buffer = Sequences.Single([.. Prefix(0), .. Ping(7)]);

        Assert.Equal(FrameReadStatus.Empty, FrameReader.TryRead(ref buffer, Max, out _, out var announced));
        Assert.Equal(0, announced);
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryRead(ref buffer, Max, out var payload, out _));
        Assert.Equal(7, Assert.IsType<PingFrame>(FrameDecoder.Decode(payload).Body).T);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(Max)]
    public void TryRead_LengthExactlyMaximum_IsAccepted(int max)
    {
        var body = new byte[max];
        new Random(max).NextBytes(body);
        var buffer = Sequences.Chunked([.. Prefix((uint)max), .. body], 1000, 7);

        var status = FrameReader.TryRead(ref buffer, max, out var payload, out var announced);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(max, announced);
        Assert.Equal(body, payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    private static byte[] Ping(long t) => FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = t });

    private static byte[] Prefix(uint length)
    {
        var prefix = new byte[FrameReader.PrefixLength];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
        return prefix;
    }
}
