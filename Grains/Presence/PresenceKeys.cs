using StackExchange.Redis;

namespace ImActors.Grains.Presence;

/// <summary>
/// Store keys of presence. A user's own (last seen, watching edges) are hash-tagged by the user like the rest of the
/// user's keys; the rosters of edge runs are keys of their own, written by the users' grains one command at a time.
/// </summary>
internal static class PresenceKeys
{
    /// <summary>Unix milliseconds when the user's last session ended: what an offline user's presence shows.</summary>
    public static RedisKey LastSeen(string user) => $"im:{{{user}}}:seen";

    /// <summary>
    /// Present while the event stream was last told the user is online: the login step writes <c>user.online</c> only
    /// when it sets it, the end of the offline grace writes <c>user.offline</c> only when it deletes it, so the stream
    /// alternates whatever reconnects within the grace do (decision 109).
    /// </summary>
    public static RedisKey ReportedOnline(string user) => $"im:{{{user}}}:online";

    /// <summary>
    /// Sorted set: user -> when their offline grace ends (Unix ms), while events are on. The grace timer lives in the
    /// user's grain; a silo lost within the grace takes the timer with it, and the sweep finds the user here and has the
    /// grain report <c>user.offline</c> (<see cref="EdgeSweeperGrain"/>).
    /// </summary>
    public static readonly RedisKey Graces = "im:presence:graces";

    /// <summary>Hash: edge id -> watch generation. The edges holding watchers of the user.</summary>
    public static RedisKey Watchers(string user) => $"im:{{{user}}}:watchers";

    /// <summary>Hash: edge incarnation -> edge id. Every run of an edge that registered, until it is found gone.</summary>
    public static readonly RedisKey Runs = "im:edges:runs";

    /// <summary>Set of the users with a session on one run of an edge: who to tell when that run is gone.</summary>
    public static RedisKey Roster(Guid run) => $"im:run:{{{run:N}}}:users";
}
