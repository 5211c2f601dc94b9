namespace ImActors.Protocol.Compression;

/// <summary>The Adler-32 checksum that ends a zlib stream (RFC 1950, section 8.2); the framework computes it but does not expose it.</summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    // The largest run of bytes whose sums cannot overflow 32 bits before the modulo is taken (zlib's NMAX).
    private const int Run = 5552;

    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            var run = data[..Math.Min(Run, data.Length)];
            foreach (var value in run)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[run.Length..];
        }

        return (b << 16) | a;
    }
}
