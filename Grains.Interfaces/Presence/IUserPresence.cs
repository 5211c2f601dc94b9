namespace ImActors.Grains.Interfaces.Presence;

/// <summary>
/// One user's presence (key: the user id), for business services and the edges alike. Answered by the user's own
/// grain, which owns the user's sessions. For many users at once, <see cref="IPresenceDirectory"/>.
/// </summary>
[Alias("imactors.IUserPresence")]
public interface IUserPresence : IGrainWithStringKey
{
    /// <summary>Online or not, the devices connected now, and when the user was last seen.</summary>
    [Alias("GetPresence")]
    Task<UserPresence> GetPresence();
}
