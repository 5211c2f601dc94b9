using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Connections;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Reauth frames: a fresh token extends the live session to the new token's expiry. A token that fails its checks, or
/// was revoked (the user's grain is asked: decision 107), is answered with its error and changes nothing (the session
/// still ends at the old expiry); a valid token for another user or another device is refused and the connection
/// closed, since one connection is one user's device.
/// </summary>
public sealed class ReauthHandler(TokenValidator tokens, GrainRefs grains, ClusterCalls cluster)
{
    public async Task ReauthAsync(ClientConnection connection, ReauthFrame reauth)
    {
        var check = await tokens.ValidateAsync(reauth.Token);
        if (!check.IsValid)
        {
            connection.ReplyError(check.ErrorCode, "reauth refused: " + check.Reason);
            return;
        }

        if (check.UserId != connection.UserId || !check.AllowsDevice(connection.Session?.Device))
        {
            connection.Refuse(ErrorCodes.TokenInvalid, "reauth token is for another user or device");
            return;
        }

        var device = connection.Session!.Device;
        if (await cluster.TryAsync(() => grains.Get<IUserSessions>(check.UserId!).CheckToken(device, check.IssuedAtMs), CallPolicy.Retried) is { } refused)
        {
            connection.ReplyError(refused.Code, "reauth refused: " + refused.Reason);
            return;
        }

        Extend(connection, check.ExpiresAt);
        connection.Reply(FrameKind.Reauthed, new ReauthedFrame { TokenExpiresAt = check.ExpiresAt.ToUnixTimeSeconds() });
    }

    /// <summary>The session now ends at <paramref name="expiresAt"/>: a reauth's, or a refresh's new access token.</summary>
    public static void Extend(ClientConnection connection, DateTimeOffset expiresAt) =>
        connection.TokenExpiresAtMs = expiresAt.ToUnixTimeMilliseconds();
}
