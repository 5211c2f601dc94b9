using System.Buffers.Text;
using System.Security.Cryptography;
using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Grains.Interfaces.Users;

/// <summary>
/// The shape of a refresh token: <c>user~device~family~generation~secret</c> (family: 16 random bytes, secret: 32, both
/// base64url). Opaque to clients; the user and device in it name the keys it is checked against (one user's keys, one
/// hash slot), so an edge can route it before any hello. Only the secret proves anything, and the store keeps its
/// hash alone (decision 106). <c>~</c> is in no id and no base64url text, and safe in URLs.
/// </summary>
public readonly record struct RefreshTokenFormat(string User, string Device, string Family, long Generation, string Secret)
{
    private const char Separator = '~';

    /// <summary>A token of a new family, generation 1.</summary>
    public static RefreshTokenFormat NewFamily(string user, string device) =>
        new(user, device, Random(16), 1, Random(32));

    /// <summary>The next token of the same family.</summary>
    public RefreshTokenFormat Next() => this with { Generation = Generation + 1, Secret = Random(32) };

    public override string ToString() => string.Join(Separator, User, Device, Family, Generation, Secret);

    /// <summary>The parts of <paramref name="token"/>, or null when it is not a refresh token of this shape.</summary>
    public static RefreshTokenFormat? Parse(string? token)
    {
        var parts = token?.Split(Separator);
        if (parts is not { Length: 5 } || !Ids.IsValid(parts[0]) || !Ids.IsValid(parts[1])
            || !long.TryParse(parts[3], System.Globalization.NumberStyles.None, null, out var generation) || generation < 1
            || !IsRandom(parts[2], 16) || !IsRandom(parts[4], 32))
        {
            return null;
        }

        return new RefreshTokenFormat(parts[0], parts[1], parts[2], generation, parts[4]);
    }

    /// <summary>What the store keeps instead of a value: its SHA-256, hex.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private static bool IsRandom(string text, int bytes) =>
        text.Length == Base64Url.GetEncodedLength(bytes) && Base64Url.IsValid(text, out var decoded) && decoded == bytes;
}
