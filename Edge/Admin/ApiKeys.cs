using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Admin;

/// <summary>
/// The configured API keys, and which one a request carries. Keys are compared as SHA-256 digests in constant time,
/// all of them every time, so neither the time taken nor the key's length tells a caller how close a guess was.
/// </summary>
public sealed class ApiKeys(IOptions<AdminSettings> settings)
{
    private readonly (string Name, byte[] Digest)[] _keys = settings.Value.ApiKeys
        .Where(k => !string.IsNullOrEmpty(k.Value))
        .Select(k => (k.Key, Digest(k.Value)))
        .ToArray();

    /// <summary>The name of the key in an <c>Authorization: Bearer KEY</c> header; null when there is none or it is wrong.</summary>
    public string? Match(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = Digest(authorization[scheme.Length..].Trim());
        string? match = null;
        foreach (var (name, digest) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, digest))
            {
                match = name;
            }
        }

        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
