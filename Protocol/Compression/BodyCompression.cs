using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace ImActors.Protocol.Compression;

/// <summary>What became of a compressed body.</summary>
public enum InflateStatus
{
    Inflated,

    /// <summary>Not a complete zlib stream: malformed, cut short, trailing bytes, or a checksum that does not match.</summary>
    Corrupt,

    /// <summary>It inflates past the limit it was given (a zip bomb, or simply too much).</summary>
    TooLarge,
}

/// <summary>
/// Message bodies compressed for the wire (decision 105): zlib (RFC 1950, the deflate content coding of HTTP), only
/// over a size threshold and only when it saves at least a fifth, and never inflated past a limit. The same code runs
/// in the edge and in the SDK, so both ends agree on the rules.
/// </summary>
public static class BodyCompression
{
    /// <summary>The one compression spoken: the value of <c>compression</c> in hello, welcome, send and message frames.</summary>
    public const string Deflate = "deflate";

    /// <summary>Bodies of at most this many bytes are sent as they are, unless configured otherwise.</summary>
    public const int DefaultThreshold = 512;

    /// <summary>A compressed body is used only when it is at most this share of the original: smaller savings are not worth the receiver's CPU.</summary>
    public const double MaxCompressedShare = 0.8;

    /// <summary>True for a <c>compression</c> value that means "the body is as it is".</summary>
    public static bool IsNone(string? compression) => string.IsNullOrEmpty(compression);

    /// <summary>The compressed body, or null when the body is not over <paramref name="threshold"/> bytes or compression saves less than 20%.</summary>
    public static byte[]? TryCompress(byte[] body, int threshold)
    {
        if (body.Length <= threshold)
        {
            return null;
        }

        var output = new MemoryStream(body.Length);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(body);
        }

        return output.Length <= body.Length * MaxCompressedShare ? output.ToArray() : null;
    }

    /// <summary>
    /// Inflates <paramref name="compressed"/>, reading at most <paramref name="maxBytes"/> + 1 bytes of output, so a small
    /// body that would inflate to gigabytes costs no more than the limit.
    /// </summary>
    public static InflateStatus TryInflate(byte[] compressed, int maxBytes, out byte[] body)
    {
        body = [];
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, Math.Max(4096, compressed.Length * 4)));
        try
        {
            var length = 0;
            using (var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxBytes)
                        {
                            return InflateStatus.TooLarge;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = zlib.Read(buffer, length, buffer.Length - length);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            if (length > maxBytes)
            {
                return InflateStatus.TooLarge;
            }

            // The reader stops quietly at a stream cut short and ignores bytes after its end; a whole stream ends with the
            // Adler-32 of what it holds, so the last four bytes must be exactly that.
            if (compressed.Length < 6 || BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(^4)) != Adler32.Of(buffer.AsSpan(0, length)))
            {
                return InflateStatus.Corrupt;
            }

            body = buffer.AsSpan(0, length).ToArray();
            return InflateStatus.Inflated;
        }
        catch (InvalidDataException)
        {
            return InflateStatus.Corrupt;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
