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
}
