using System.Net;
using ImActors.Edge.Auth;
using ImActors.Grains.Interfaces.Rules;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.WebChat;

/// <summary>
/// <c>POST /dev/token {user, device}</c>: a token for the web chat's sign-in on a developer's machine (decision 124).
/// Only when <see cref="WebChatSettings.DevTokens"/> is on, and only to loopback callers, so that turning it on by
/// mistake on a server with a public listener does not hand out tokens to the network.
/// </summary>
public static class DevTokenEndpoint
{
    public const string Path = "/dev/token";

    public sealed record Request(string? User, string? Device);

    public sealed record Issued(string Token, DateTimeOffset ExpiresAt);

    public static void MapDevTokens(this WebApplication app) =>
        app.MapPost(Path, (HttpContext http, Request? body, AccessTokens tokens, IOptions<WebChatSettings> settings) =>
        {
            var remote = http.Connection.RemoteIpAddress;
            if (remote is null || !IPAddress.IsLoopback(remote))
            {
                return Results.Json(new { error = "forbidden", reason = "development tokens are given to loopback callers only" },
                    statusCode: StatusCodes.Status403Forbidden);
            }

            if (!Ids.IsValid(body?.User) || !Ids.IsValid(body?.Device))
            {
                return Results.Json(new { error = "invalid_request", reason = $"send {{\"user\": ID, \"device\": ID}}; ids are {Ids.Rule}" },
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var (token, expiresAt) = tokens.Mint(body!.User!, body.Device!, settings.Value.DevTokenLifetime);
            return Results.Ok(new Issued(token, expiresAt));
        });
}
