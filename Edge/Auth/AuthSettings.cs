using ImActors.Protocol;

namespace ImActors.Edge.Auth;

/// <summary>HS256 token validation. Bound from the "Auth" section (env: Auth__Secret, Auth__Keys__2026-01, ...).</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    /// <summary>The HMAC secret (at least 32 bytes) for tokens that carry no <c>kid</c>.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Secrets by key id: a token naming a <c>kid</c> is checked with that key only. Several at once let an issuer
    /// rotate: add the new key, issue with it, remove the old one once its tokens have expired.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>
    /// Accept the public development secret when no secret is configured. Off by default: an edge without a secret
    /// refuses to start, so a deployment cannot run on a secret anyone can read (decision 101).
    /// </summary>
    public bool Development { get; set; }

    /// <summary>Tolerance on <c>exp</c>, <c>nbf</c> and <c>iat</c> for clocks that disagree.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The furthest in the future an <c>exp</c> may be. Bounds a token minted with <c>exp</c> in milliseconds (which
    /// would otherwise be valid for 300,000 years) and any token meant to live forever.
    /// </summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The key the edge signs the access tokens it mints after a refresh with (decision 106): a key id of
    /// <see cref="Keys"/>, or empty for the secret of tokens without a <c>kid</c>.
    /// </summary>
    public string? IssuerKid { get; set; }

    /// <summary>How long an access token minted after a refresh lives. Short: a revocation need not wait for it.</summary>
    public TimeSpan AccessLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The secret for tokens without a <c>kid</c>: the configured one, the development one when allowed, else none.</summary>
    public string? ResolveSecret() =>
        !string.IsNullOrEmpty(Secret) ? Secret : Development ? ProtocolDefaults.DevelopmentTokenSecret : null;
}
