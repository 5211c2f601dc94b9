using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Connections;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Refresh frames (decision 106): the user's grain rotates the refresh token, this edge mints an access token for the
/// same user and device, and both go back in <c>refreshed</c>. Before the hello this is how a device whose access
/// token expired gets one to say hello with; a refused one ends the connection like a refused hello. On a live
/// session the refresh token must be the session's user and device, a refused one is answered and changes nothing
/// (unless it was a used one: then the grain closes the device's session), and an accepted one extends the session.
/// </summary>
public sealed class RefreshHandler(GrainRefs grains, ClusterCalls cluster, AccessTokens accessTokens)
{
    public async Task RefreshAsync(ClientConnection connection, RefreshFrame refresh)
    {
        var presented = RefreshTokenFormat.Parse(refresh.Token);
        if (presented is null)
        {
            Refuse(connection, ErrorCodes.TokenInvalid, "refresh token is malformed", retryable: false);
            return;
        }

        var (user, device) = (presented.Value.User, presented.Value.Device);
        if (connection.IsAuthenticated && (user != connection.UserId || device != connection.Session?.Device))
        {
            connection.Refuse(ErrorCodes.TokenInvalid, "refresh token is for another user or device");
            return;
        }

        // One attempt: a rotation repeated after it succeeded would present a used token and revoke the device's family.
        var rotated = await cluster.TryAsync(() => grains.Get<IUserSessions>(user).Refresh(refresh.Token), CallPolicy.Once);
        if (rotated.Error is { } error)
        {
            Refuse(connection, error.Code, "refresh refused: " + error.Reason, error.Retryable);
            return;
        }

        var (access, expiresAt) = accessTokens.Mint(user, device);
        if (connection.IsAuthenticated)
        {
            ReauthHandler.Extend(connection, expiresAt);
        }

        connection.Reply(FrameKind.Refreshed, new RefreshedFrame
        {
            AccessToken = access,
            TokenExpiresAt = expiresAt.ToUnixTimeSeconds(),
            RefreshToken = rotated.Value.Token,
            RefreshExpiresAt = rotated.Value.ExpiresAt.ToUnixTimeSeconds(),
        });
    }

    private static void Refuse(ClientConnection connection, int code, string reason, bool retryable)
    {
        if (connection.IsAuthenticated)
        {
            connection.ReplyError(code, reason, retryable);
        }
        else
        {
            connection.Refuse(code, reason, retryable);
        }
    }
}
