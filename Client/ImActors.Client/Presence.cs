namespace ImActors.Client;

/// <summary>One connected device of a user.</summary>
public sealed record DeviceInfo(string Device, string Platform, DateTimeOffset Since);

/// <summary>
/// A user's presence. <paramref name="Online"/> stays true for the server's offline grace after the user's last device
/// left, so <paramref name="Devices"/> can be empty while it is.
/// </summary>
/// <param name="LastSeen">For an offline user, when their last session ended (null: never seen); for an online one, the server's time of the answer.</param>
public sealed record PresenceInfo(string User, bool Online, DateTimeOffset? LastSeen, IReadOnlyList<DeviceInfo> Devices);

/// <summary>How many members of a group are online, and one page of them ordered by user id.</summary>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last one.</param>
public sealed record OnlineMembersInfo(long Count, IReadOnlyList<string> Users, string? Next);
