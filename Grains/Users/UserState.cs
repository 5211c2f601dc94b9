using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Users;

/// <summary>
/// What a user grain persists: small and bounded by the number of devices, rewritten only when a
/// device connects or disconnects. The inbox itself lives in the append-only <see cref="Inbox.InboxLog"/>.
/// Sessions are persisted so that a grain deactivated while its user idles, or reactivated on another
/// silo after a crash, still knows where to push.
/// </summary>
[GenerateSerializer, Alias("imactors.UserState")]
public sealed class UserState
{
    [Id(0)] public Dictionary<string, SessionInfo> Sessions { get; set; } = new();

    /// <summary>
    /// Highest seq each device reported holding (advisory; written with session changes). Null until the first
    /// report: most online users hold none, and an empty dictionary per activation is 80 bytes.
    /// </summary>
    [Id(1)] public Dictionary<string, long>? Delivered { get; set; }
}
