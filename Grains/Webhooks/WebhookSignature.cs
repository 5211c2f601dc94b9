using System.Security.Cryptography;
using System.Text;

namespace ImActors.Grains.Webhooks;

/// <summary>
/// How a webhook request is signed (docs/api.md, "Webhooks"): HMAC-SHA256 with the configured secret over
/// <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>, sent as <c>X-ImActors-Signature: sha256=&lt;lowercase hex&gt;</c> beside
/// <c>X-ImActors-Timestamp</c> (Unix seconds). Signing the timestamp lets a receiver refuse old requests replayed.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-ImActors-Signature";
    public const string TimestampHeader = "X-ImActors-Timestamp";
    public const string EventIdHeader = "X-ImActors-Event-Id";
    public const string EventTypeHeader = "X-ImActors-Event-Type";
    public const string AttemptHeader = "X-ImActors-Attempt";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: the same HMAC, compared in constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
