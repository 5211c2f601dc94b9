using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>/api/v1/users/{user}/...</c> for a user's tokens: revoking them (decision 107) and issuing a device's refresh token
/// with its first access token (decision 106), so that a login service needs no JWT library of its own.
/// </summary>
public static class TokensApi
{
    /// <param name="Device">One device; null for every device of the user.</param>
    public sealed record RevokeRequest(string? Device);

    /// <param name="ValidAfter">Tokens issued before this are refused from now on.</param>
    public sealed record Revoked(DateTimeOffset ValidAfter);

    public sealed record Issued(string RefreshToken, DateTimeOffset RefreshExp, string AccessToken, DateTimeOffset TokenExp);

    public static void MapTokens(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users/{user}").WithTags("users");
        users.MapPost("/revoke", (string user, RevokeRequest body, GrainRefs grains, AdminCalls calls) =>
            {
                var (grain, device) = (User(grains, user), ApiInput.OptionalId(body.Device, "device"));
                return calls.RunAsync(() => grain.Revoke(device), CallPolicy.Retried, at => Results.Ok(new Revoked(at)));
            })
            .WithName("revoke")
            .WithSummary("Refuse the user's (or one device's) tokens issued before now, delete their refresh tokens, and close their sessions with 414")
            .Produces<Revoked>();
        users.MapPost("/devices/{device}/refresh-token", (string user, string device, GrainRefs grains, AdminCalls calls, AccessTokens access) =>
            {
                var (grain, id) = (User(grains, user), ApiInput.Id(device, "device"));
                // Once: a repeat would issue a second family, replacing the first the caller may already have handed out.
                return calls.RunAsync(() => grain.IssueRefreshToken(id), CallPolicy.Once, grant =>
                {
                    var (token, expiresAt) = access.Mint(grant.User, grant.Device);
                    return Results.Ok(new Issued(grant.Token, grant.ExpiresAt, token, expiresAt));
                });
            })
            .WithName("issueRefreshToken")
            .WithSummary("Issue a refresh token for one device (a new family, replacing the device's previous one) and its first access token")
            .Produces<Issued>();
    }

    private static IUserGrain User(GrainRefs grains, string user) => grains.Get<IUserGrain>(ApiInput.Id(user, "user"));
}
