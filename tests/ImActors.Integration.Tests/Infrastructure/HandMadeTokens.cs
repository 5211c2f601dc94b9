using System.Security.Cryptography;
using System.Text;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// JWTs written by hand, claim by claim, for what a careless issuer produces and no library would (exp in milliseconds
/// or as a string, a numeric sub): the JSON is signed exactly as given.
/// </summary>
public static class HandMadeTokens
{
    public const string DevelopmentSecret = ProtocolDefaults.DevelopmentTokenSecret;

    public static string Sign(string payloadJson, string secret = DevelopmentSecret, string alg = "HS256", string? kid = null)
    {
        var header = kid is null ? $$"""{"alg":"{{alg}}","typ":"JWT"}""" : $$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{kid}}"}""";
        var signed = $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(payloadJson))}";
        byte[] signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)),
            "HS384" => HMACSHA384.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)),
            "none" => [],
            _ => throw new ArgumentException($"no signer for {alg}", nameof(alg)),
        };
        return $"{signed}.{Base64Url(signature)}";
    }

    /// <summary>A well-formed payload for <paramref name="user"/> valid from <paramref name="now"/> for an hour, with <paramref name="extra"/> JSON members appended.</summary>
    public static string Claims(string user, DateTimeOffset now, TimeSpan? lifetime = null) =>
        $$"""{"sub":"{{user}}","iat":{{now.ToUnixTimeSeconds()}},"nbf":{{now.ToUnixTimeSeconds() - 60}},"exp":{{(now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds()}}}""";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
