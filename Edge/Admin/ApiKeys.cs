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

    /// <summary>
    /// The name of the key in an <c>Authorization: Bearer KEY</c> header, or in <c>Basic</c> as the password (any user
    /// name: what a browser sends for the dashboard); null when there is none or it is wrong.
    /// </summary>
    public string? Match(string? authorization)
    {
        if (Presented(authorization) is not { } key)
        {
            return null;
        }

        var presented = Digest(key);
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

    private static string? Presented(string? authorization)
    {
        const string bearer = "Bearer ";
        const string basic = "Basic ";
        if (authorization is null)
        {
            return null;
        }

        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[bearer.Length..].Trim();
        }

        if (!authorization.StartsWith(basic, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[basic.Length..].Trim()));
            var colon = pair.IndexOf(':');
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
