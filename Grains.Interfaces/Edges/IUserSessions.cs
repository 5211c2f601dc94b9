using ImActors.Grains.Interfaces.Users;
using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Edges;

/// <summary>
/// What an edge tells a user's grain (key: the user id) about the connections it holds for that user. Edges only:
/// a business service has no connection to register, and reaches the same grain as <see cref="IUserGrain"/>.
/// </summary>
[Alias("imactors.IUserSessions")]
public interface IUserSessions : IGrainWithStringKey
{
    /// <summary>
    /// Registers a connected device. A device already connected elsewhere is kicked with "replaced":
    /// one connection per (user, device).
    /// </summary>
    [Alias("Connect")]
    Task<ConnectResult> Connect(SessionInfo session);

    /// <summary>Removes the session if it is still this connection's (a newer one for the same device stays).</summary>
    [Alias("Disconnect")]
    Task Disconnect(SessionInfo session);

    /// <summary>
    /// Throws <see cref="Messages.RefusedException"/> (<see cref="Messages.Refusal.TokenRevoked"/>) when a token issued at
    /// <paramref name="issuedAtMs"/> (Unix ms, 0 for none) was revoked for <paramref name="device"/>: a reauth's check.
    /// </summary>
    [Alias("CheckToken")]
    Task CheckToken(string device, long issuedAtMs);

    /// <summary>
    /// Rotates a refresh token of this user: returns the next one and makes this one used. A token used before revokes
    /// its device's family and closes the device's session (<see cref="Messages.Refusal.TokenRevoked"/>); an unknown
    /// one is <see cref="Messages.Refusal.TokenInvalid"/>, an expired one <see cref="Messages.Refusal.TokenExpired"/>.
    /// </summary>
    [Alias("Refresh")]
    Task<RefreshGrant> Refresh(string token);
}
