using System.Text;
using ImActors.Protocol.Compression;

namespace ImActors.Protocol.Tests;

/// <summary>The rules both ends compress and inflate message bodies by: the threshold, the 20% rule, and bounded, checked inflation.</summary>
public sealed class BodyCompressionTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("meet at noon to go over the release notes; ", 40)));

    [Fact]
    public void BodyOverTheThreshold_IsCompressed_AndInflatesBackExactly()
    {
        var compressed = BodyCompression.TryCompress(Text, threshold: 512);

        Assert.NotNull(compressed);
        Assert.True(compressed.Length <= Text.Length * 0.8);
        Assert.Equal(InflateStatus.Inflated, BodyCompression.TryInflate(compressed, 1 << 20, out var body));
        Assert.Equal(Text, body);
    }

    [Fact]
    public void BodyAtTheThreshold_IsLeftAsItIs() =>
        Assert.Null(BodyCompression.TryCompress(Text[..512], threshold: 512));

    [Theory]
    [InlineData(700, true)] // 300 repeated bytes: compresses to about 72%
    [InlineData(900, false)] // 100 repeated bytes: about 91%, a saving under a fifth
    public void Compression_IsUsedOnlyWhenItSavesAFifth(int randomBytes, bool compressed)
    {
        var body = new byte[1000];
        new Random(7).NextBytes(body.AsSpan(0, randomBytes));

        Assert.Equal(compressed, BodyCompression.TryCompress(body, threshold: 512) is not null);
    }

    [Fact]
    public void StreamCutShort_IsCorrupt() =>
        Assert.Equal(InflateStatus.Corrupt, BodyCompression.TryInflate(Compressed()[..^3], 1 << 20, out _));

    [Fact]
    public void BytesAfterTheStream_AreCorrupt() =>
        Assert.Equal(InflateStatus.Corrupt, BodyCompression.TryInflate([.. Compressed(), 1, 2, 3], 1 << 20, out _));

    [Fact]
    public void FlippedByte_IsCorrupt()
    {
        var damaged = Compressed();
        damaged[damaged.Length / 2] ^= 0x55;

        Assert.Equal(InflateStatus.Corrupt, BodyCompression.TryInflate(damaged, 1 << 20, out _));
    }

    [Fact]
    public void PlainBytes_AreCorrupt() =>
        Assert.Equal(InflateStatus.Corrupt, BodyCompression.TryInflate("not compressed at all"u8.ToArray(), 1 << 20, out _));

    [Fact]
    public void ZipBomb_StopsAtTheLimit()
    {
        var bomb = BodyCompression.TryCompress(new byte[64 * 1024 * 1024], threshold: 0)!;

        Assert.True(bomb.Length < 128 * 1024);
        Assert.Equal(InflateStatus.TooLarge, BodyCompression.TryInflate(bomb, ProtocolDefaults.MaxFrameBytes, out var body));
        Assert.Empty(body);
    }

    [Fact]
    public void BodyOfExactlyTheLimit_Inflates()
    {
        var body = new byte[ProtocolDefaults.MaxFrameBytes];

        Assert.Equal(InflateStatus.Inflated, BodyCompression.TryInflate(BodyCompression.TryCompress(body, threshold: 0)!, ProtocolDefaults.MaxFrameBytes, out var inflated));
        Assert.Equal(body.Length, inflated.Length);
    }

    private static byte[] Compressed() => BodyCompression.TryCompress(Text, threshold: 0)!;
}
