namespace ImActors.Grains.Interfaces.Presence;

/// <summary>
/// Presence of many users in one call, for business services and the edges (key: <see cref="Key"/>; a stateless
/// worker, so any silo answers). Asks each user's grain, all at once.
/// </summary>
[Alias("imactors.IPresenceDirectory")]
public interface IPresenceDirectory : IGrainWithStringKey
{
    /// <summary>The key to call it by.</summary>
    public const string Key = "presence";

    /// <summary>The most users one call may name.</summary>
    public const int MaxUsers = 1000;

    /// <summary>
    /// The presence of each of <paramref name="users"/> (at most <see cref="MaxUsers"/>, each a valid user id), in the
    /// order given. Throws <see cref="Messages.RefusedException"/> for too many users or a bad id.
    /// </summary>
    [Alias("GetPresence")]
    Task<UserPresence[]> GetPresence(string[] users);
}
