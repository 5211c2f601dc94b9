using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Users;

/// <summary>
/// A user's revocations (decision 107) and refresh token families (decision 106) in the store, beside the sessions so
/// that the login step reads the revocations itself (<see cref="SessionScripts.Connect"/>). Only hashes of tokens are
/// stored: whoever reads the store can revoke a family, but cannot use one.
/// </summary>
public sealed class TokenStore(StoreConnection redis, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>The field of a revocation of every device.</summary>
    private const string WholeUser = "*";

    /// <summary>Stores a revocation of the user (or one device) as of now; returns the time and the sessions stored now.</summary>
    public async Task<(DateTimeOffset ValidAfter, IReadOnlyList<SessionInfo> Sessions)> RevokeAsync(string user, string? device)
    {
        var now = time.GetUtcNow();
        var stored = (string[])(await redis.Eval(TokenScripts.Revoke,
            [InboxKeys.ValidAfter(user), InboxKeys.Sessions(user), InboxKeys.RefreshTokens(user)],
            [device ?? WholeUser, now.ToUnixTimeMilliseconds()]))!;
        return (now, stored.Select(SessionStore.Decode).ToList());
    }

    /// <summary>Throws the revocation when a token issued at <paramref name="issuedAtMs"/> is revoked for the device.</summary>
    public async Task CheckAsync(string user, string device, long issuedAtMs)
    {
        var stored = await redis.Run(db => db.HashGetAsync(InboxKeys.ValidAfter(user), [WholeUser, device]));
        var validAfter = stored.Select(v => v.IsNull ? 0 : (long)v).Max();
        if (issuedAtMs < validAfter)
        {
            throw Revoked(validAfter);
        }
    }

    public async Task<RefreshGrant> IssueAsync(string user, string device)
    {
        var token = RefreshTokenFormat.NewFamily(user, device);
        var now = time.GetUtcNow();
        var expires = now + options.Value.RefreshLifetime;
        var family = string.Join(' ', RefreshTokenFormat.Hash(token.Family), token.Generation, RefreshTokenFormat.Hash(token.Secret),
            expires.ToUnixTimeMilliseconds(), (now + options.Value.FamilyLifetime).ToUnixTimeMilliseconds());
        await redis.Eval(TokenScripts.Issue, [InboxKeys.RefreshTokens(user)],
            [device, family, now.ToUnixTimeMilliseconds(), options.Value.MaxFamiliesPerUser]);
        return new RefreshGrant(token.ToString(), Min(expires, now + options.Value.FamilyLifetime), user, device);
    }

    /// <summary>The next token of the family, or the refusal: <see cref="Refusal.TokenRevoked"/> for a token used before.</summary>
    public async Task<RefreshGrant> RotateAsync(RefreshTokenFormat presented)
    {
        var next = presented.Next();
        var now = time.GetUtcNow();
        var result = (RedisResult[])(await redis.Eval(TokenScripts.Rotate, [InboxKeys.RefreshTokens(presented.User)],
        [
            presented.Device, RefreshTokenFormat.Hash(presented.Family), presented.Generation, RefreshTokenFormat.Hash(presented.Secret),
            now.ToUnixTimeMilliseconds(), RefreshTokenFormat.Hash(next.Secret), (now + options.Value.RefreshLifetime).ToUnixTimeMilliseconds(),
        ]))!;
        return (long)result[0] switch
        {
            1 => new RefreshGrant(next.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)result[1]), presented.User, presented.Device),
            -1 => throw new RefusedException(Refusal.TokenRevoked,
                "refresh token used before: every refresh token of this device is revoked; sign in again"),
            -2 => throw new RefusedException(Refusal.TokenExpired, "refresh token expired; sign in again"),
            _ => throw UnknownRefreshToken(),
        };
    }

    public static RefusedException UnknownRefreshToken() =>
        new(Refusal.TokenInvalid, "refresh token unknown or revoked; sign in again");

    /// <summary>What a token issued before a revocation is refused with.</summary>
    public static RefusedException Revoked(long validAfterMs) =>
        new(Refusal.TokenRevoked, $"token revoked: tokens issued before {DateTimeOffset.FromUnixTimeMilliseconds(validAfterMs):O} are refused");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
