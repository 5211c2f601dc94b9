using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Auth;

/// <summary>
/// Mints the access tokens a refresh is answered with (decision 106): HS256 under <see cref="AuthSettings.IssuerKid"/>
/// (or the secret of tokens without a <c>kid</c>), bound to the refresh token's device by a <c>did</c> claim, living
/// <see cref="AuthSettings.AccessLifetime"/>. Every edge accepts them, since every edge holds the same keys.
/// </summary>
public sealed class AccessTokens(IOptions<AuthSettings> settings, EdgeClock time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, DateTimeOffset ExpiresAt) Mint(string user, string device) => Mint(user, device, settings.Value.AccessLifetime);

    /// <param name="lifetime">How long the token lives: the web chat's development sign-in asks for longer than a refresh gets.</param>
    public (string Token, DateTimeOffset ExpiresAt) Mint(string user, string device, TimeSpan lifetime)
    {
        var auth = settings.Value;
        var kid = string.IsNullOrEmpty(auth.IssuerKid) ? null : auth.IssuerKid;
        var secret = kid is null ? auth.ResolveSecret() : auth.Keys.GetValueOrDefault(kid);
        if (secret is null)
        {
            throw new InvalidOperationException($"Auth:IssuerKid names '{kid}', which is not among Auth:Keys");
        }

        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["sub"] = user,
                ["did"] = device,
                // In milliseconds' precision: a refresh in the same second as a revocation it follows must pass the
                // login step's "issued after" check (decision 107), which whole seconds would fail.
                ["iat"] = Math.Round(now.ToUnixTimeMilliseconds() / 1000.0, 3),
                ["exp"] = expires.ToUnixTimeSeconds(),
            },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
        });
        return (token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }
}
