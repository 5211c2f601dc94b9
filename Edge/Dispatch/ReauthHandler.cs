using ImActors.Edge.Auth;
using ImActors.Edge.Connections;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Reauth frames: a fresh token extends the live session to the new token's expiry. A token that fails its checks is
/// answered with its error and changes nothing (the session still ends at the old expiry); a valid token for another
/// user is refused and the connection closed, since one connection is one user.
/// </summary>
public sealed class ReauthHandler(TokenValidator tokens)
{
    public async Task ReauthAsync(ClientConnection connection, ReauthFrame reauth)
    {
        var check = await tokens.ValidateAsync(reauth.Token);
        if (!check.IsValid)
        {
            connection.ReplyError(check.ErrorCode, "reauth refused: " + check.Reason);
            return;
        }

        if (check.UserId != connection.UserId)
        {
            connection.Refuse(ErrorCodes.TokenInvalid, "reauth token is for another user");
            return;
        }

        connection.TokenExpiresAtMs = check.ExpiresAt.ToUnixTimeMilliseconds();
        connection.Reply(FrameKind.Reauthed, new ReauthedFrame { TokenExpiresAt = check.ExpiresAt.ToUnixTimeSeconds() });
    }
}
