using System.Text;
using System.Text.Json;
using ImActors.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Auth;

/// <summary>The outcome of checking a token: the user id and the token's expiry, or an error code from <see cref="ErrorCodes"/>.</summary>
/// <param name="IssuedAtMs">The token's <c>iat</c>, Unix ms; 0 when it has none (refused once the user or device is revoked).</param>
/// <param name="Device">The token's <c>did</c>: the one device it may sign in, or null for any.</param>
public readonly record struct TokenCheck(
    string? UserId, int ErrorCode, string Reason, DateTimeOffset ExpiresAt = default, long IssuedAtMs = 0, string? Device = null)
{
    public bool IsValid => UserId is not null;

    /// <summary>Whether the token may be used by <paramref name="device"/>: a token bound to a device serves that one only.</summary>
    public bool AllowsDevice(string? device) => Device is null || Device == device;

    public static TokenCheck Invalid(string reason) => new(null, ErrorCodes.TokenInvalid, reason);
}

/// <summary>
/// Validates HS256 JWTs strictly (decision 101): the header's <c>alg</c> is HS256 and its <c>kid</c>, when present, names
/// a configured key; <c>sub</c> is a JSON string and a valid user id; <c>exp</c> (required), <c>nbf</c> and <c>iat</c>
/// are JSON numbers of seconds within <see cref="AuthSettings.MaxLifetime"/> of now. The library checks the signature
/// only: it reads <c>exp</c> in milliseconds or as a string without complaint, and time comes from the
/// <see cref="TimeProvider"/> so that expiry can be tested without waiting.
/// </summary>
public sealed class TokenValidator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly AuthSettings _settings;
    private readonly TimeProvider _time;
    private readonly SymmetricSecurityKey? _unnamedKey;
    private readonly Dictionary<string, SymmetricSecurityKey> _namedKeys;

    public TokenValidator(IOptions<AuthSettings> settings, EdgeClock time)
    {
        _settings = settings.Value;
        _time = time;
        _unnamedKey = _settings.ResolveSecret() is { } secret ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) : null;
        _namedKeys = _settings.Keys.ToDictionary(
            k => k.Key, k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k.Value)) { KeyId = k.Key }, StringComparer.Ordinal);
    }

    public async Task<TokenCheck> ValidateAsync(string token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenCheck.Invalid("no token");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return TokenCheck.Invalid("token is not a compact JWT");
        }

        if (jwt.Alg != SecurityAlgorithms.HmacSha256)
        {
            return TokenCheck.Invalid($"token alg must be HS256, not '{jwt.Alg}'");
        }

        SymmetricSecurityKey? key;
        if (string.IsNullOrEmpty(jwt.Kid))
        {
            key = _unnamedKey;
            if (key is null)
            {
                return TokenCheck.Invalid("token names no kid, and this server accepts only keys by kid");
            }
        }
        else if (!_namedKeys.TryGetValue(jwt.Kid, out key))
        {
            return TokenCheck.Invalid($"token kid '{jwt.Kid}' is not a key this server accepts");
        }

        var signature = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = key,
            // The one key chosen above by kid: "all" is that key.
            TryAllIssuerSigningKeys = true,
        });
        if (!signature.IsValid)
        {
            return TokenCheck.Invalid("token signature or format is invalid");
        }

        return CheckClaims(jwt.EncodedPayload);
    }

    private TokenCheck CheckClaims(string encodedPayload)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
        var claims = payload.RootElement;
        if (claims.ValueKind != JsonValueKind.Object)
        {
            return TokenCheck.Invalid("token payload is not a JSON object");
        }

        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || !Identifiers.IsValid(sub.GetString()))
        {
            return TokenCheck.Invalid("token sub must be a string holding a valid user id");
        }

        var now = _time.GetUtcNow();
        var skew = _settings.ClockSkew;
        var furthest = now + _settings.MaxLifetime + skew;
        if (!claims.TryGetProperty("exp", out var expClaim))
        {
            return TokenCheck.Invalid("token has no exp");
        }

        if (Seconds(expClaim, "exp", out var exp) is { } badExp)
        {
            return TokenCheck.Invalid(badExp);
        }

        if (exp > furthest)
        {
            return TokenCheck.Invalid($"token exp is more than {_settings.MaxLifetime.TotalDays:0.#} days away (is it in milliseconds?)");
        }

        if (exp + skew <= now)
        {
            return new TokenCheck(null, ErrorCodes.TokenExpired, "token expired");
        }

        if (claims.TryGetProperty("nbf", out var nbfClaim))
        {
            if (Seconds(nbfClaim, "nbf", out var nbf) is { } badNbf)
            {
                return TokenCheck.Invalid(badNbf);
            }

            if (nbf > now + skew)
            {
                return TokenCheck.Invalid("token is not valid yet (nbf)");
            }
        }

        string? device = null;
        if (claims.TryGetProperty("did", out var did))
        {
            if (did.ValueKind != JsonValueKind.String || !Identifiers.IsValid(did.GetString()))
            {
                return TokenCheck.Invalid("token did must be a string holding a valid device id");
            }

            device = did.GetString();
        }

        long issuedAtMs = 0;
        if (claims.TryGetProperty("iat", out var iatClaim))
        {
            if (Seconds(iatClaim, "iat", out var iat) is { } badIat)
            {
                return TokenCheck.Invalid(badIat);
            }

            if (iat > now + skew || iat < now - _settings.MaxLifetime - skew)
            {
                return TokenCheck.Invalid("token iat is in the future or too far in the past");
            }

            issuedAtMs = iat.ToUnixTimeMilliseconds();
        }

        return new TokenCheck(sub.GetString(), 0, "", exp, issuedAtMs, device);
    }

    /// <summary>A NumericDate: a JSON number of seconds since 1970 (fractions allowed, as RFC 7519 says). Null when it is one.</summary>
    private static string? Seconds(JsonElement claim, string name, out DateTimeOffset value)
    {
        value = default;
        if (claim.ValueKind != JsonValueKind.Number || !claim.TryGetDouble(out var seconds))
        {
            return $"token {name} must be a number of seconds";
        }

        // Past year 9999 the conversion throws; such a value is in milliseconds or nonsense either way.
        if (seconds is < 0 or > 253_402_300_799)
        {
            return $"token {name} is out of range for seconds since 1970";
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return null;
    }
}
