using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Presence;

/// <summary>One connected device of a user.</summary>
[GenerateSerializer, Immutable, Alias("imactors.DevicePresence")]
public sealed record DevicePresence(
    [property: Id(0)] string Device,
    [property: Id(1)] string Platform,
    [property: Id(2)] DateTimeOffset ConnectedSince);

/// <summary>
/// A user's presence. A user is online while a device is connected, and for the offline grace after the last one
/// leaves (so that a quick reconnect does not show as offline and back); <see cref="Devices"/> lists the devices
/// connected now, so it can be empty during the grace.
/// </summary>
/// <param name="LastSeen">For an offline user, when their last session ended (null: never seen); for an online user, the time of the answer.</param>
[GenerateSerializer, Immutable, Alias("imactors.UserPresence")]
public sealed record UserPresence(
    [property: Id(0)] string User,
    [property: Id(1)] bool Online,
    [property: Id(2)] DateTimeOffset? LastSeen,
    [property: Id(3)] DevicePresence[] Devices)
{
    /// <summary>Whether a watcher would see a difference (the answer time of an online user aside).</summary>
    public bool SameAs(UserPresence other) =>
        Online == other.Online && (Online || LastSeen == other.LastSeen) && Devices.SequenceEqual(other.Devices);
}

/// <summary>How many members of a group are online, and one page of them ordered by user id.</summary>
/// <param name="Next">The last user id of the page when more follow: pass it as <c>after</c> for the next page.</param>
[GenerateSerializer, Immutable, Alias("imactors.OnlineMembersPage")]
public sealed record OnlineMembersPage(
    [property: Id(0)] int Count,
    [property: Id(1)] string[] Members,
    [property: Id(2)] string? Next);
