using System.Text;
using ImActors.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImActors.Edge.Auth;

/// <summary>The outcome of checking a token: the user id, or an error code from <see cref="ErrorCodes"/>.</summary>
public readonly record struct TokenCheck(string? UserId, int ErrorCode, string Reason)
{
    public bool IsValid => UserId is not null;
}

/// <summary>Validates HS256 JWTs whose <c>sub</c> is the user id and which carry an expiry.</summary>
public sealed class TokenValidator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;

    public TokenValidator(IOptions<AuthSettings> settings)
    {
        _parameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.Value.ResolveSecret())),
        };
    }

    public async Task<TokenCheck> ValidateAsync(string token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return new TokenCheck(null, ErrorCodes.TokenInvalid, "no token");
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenExpiredException
                ? new TokenCheck(null, ErrorCodes.TokenExpired, "token expired")
                : new TokenCheck(null, ErrorCodes.TokenInvalid, "token signature or format is invalid");
        }

        var subject = (result.SecurityToken as JsonWebToken)?.Subject;
        return Identifiers.IsValid(subject)
            ? new TokenCheck(subject, 0, "")
            : new TokenCheck(null, ErrorCodes.TokenInvalid, "token subject is not a valid user id");
    }
}
