using System.Globalization;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Presence;

/// <summary>What presence keeps in the store (<see cref="PresenceKeys"/>): written on transitions only, never while a user idles.</summary>
public sealed class PresenceStore(StoreConnection redis, EventOutbox events)
{
    /// <summary>The user's last seen time and watching edges (null when none: most users), in one step.</summary>
    public async Task<(DateTimeOffset? LastSeen, Dictionary<string, long>? Watchers)> LoadAsync(string user)
    {
        var result = (RedisResult[])(await redis.Eval(PresenceScripts.Load, [PresenceKeys.LastSeen(user), PresenceKeys.Watchers(user)], []))!;
        var seen = (string?)result[0];
        DateTimeOffset? lastSeen = long.TryParse(seen, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        var watchers = result.Length > 1 ? new Dictionary<string, long>(StringComparer.Ordinal) : null;
        for (var i = 1; i + 1 < result.Length; i += 2)
        {
            watchers![(string)result[i]!] = (long)result[i + 1];
        }

        return (lastSeen, watchers);
    }

    /// <summary>
    /// The user's last session ended at <paramref name="at"/>: their last seen time, and, with events on, the end of their
    /// grace in <see cref="PresenceKeys.Graces"/> (a key of its own, written beside the first, not after it).
    /// </summary>
    public Task StartGraceAsync(string user, DateTimeOffset at, DateTimeOffset endsAt)
    {
        var seen = redis.Run(db => db.StringSetAsync(PresenceKeys.LastSeen(user), at.ToUnixTimeMilliseconds()));
        return !events.Enabled ? seen
            : Task.WhenAll(seen, redis.Run(db => db.SortedSetAddAsync(PresenceKeys.Graces, user, endsAt.ToUnixTimeMilliseconds())));
    }

    /// <summary>The user's grace is over (offline reported, or a session came back): no sweep needs to look at it.</summary>
    public Task EndGraceAsync(string user) =>
        !events.Enabled ? Task.CompletedTask : redis.Run(db => db.SortedSetRemoveAsync(PresenceKeys.Graces, user));

    /// <summary>Users whose grace ended before <paramref name="before"/> and was never closed (at most <paramref name="limit"/>).</summary>
    public async Task<string[]> LapsedGracesAsync(DateTimeOffset before, int limit) =>
        (await redis.Run(db => db.SortedSetRangeByScoreAsync(PresenceKeys.Graces, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), take: limit)))
        .Select(u => (string)u!).ToArray();

    /// <summary>
    /// The offline grace ended with no session: <c>user.offline</c>, if the stream was told the user is online
    /// (<see cref="PresenceKeys.ReportedOnline"/>). Nothing when events are off.
    /// </summary>
    public async Task ReportOfflineAsync(string user, DateTimeOffset at)
    {
        if (events.Enabled)
        {
            await redis.Eval(PresenceScripts.Offline, [PresenceKeys.ReportedOnline(user), events.ListOf(user)],
                [events.Closed(() => new ImEvent(EventOutbox.NewId(), EventTypes.UserOffline, at.ToUnixTimeMilliseconds(), User: user))]);
            await EndGraceAsync(user);
        }
    }

    public Task WatchAsync(string user, string edge, long generation) =>
        redis.Run(db => db.HashSetAsync(PresenceKeys.Watchers(user), edge, generation));

    public Task UnwatchAsync(string user, IReadOnlyCollection<string> edges) =>
        edges.Count == 0 ? Task.CompletedTask : redis.Run(db => db.HashDeleteAsync(PresenceKeys.Watchers(user), edges.Select(e => (RedisValue)e).ToArray()));

    /// <summary>The user has a first session on this run of an edge.</summary>
    public Task JoinRunAsync(Guid run, string user) => redis.Run(db => db.SetAddAsync(PresenceKeys.Roster(run), user));

    /// <summary>The user's last session on this run of an edge ended.</summary>
    public Task LeaveRunAsync(Guid run, string user) => redis.Run(db => db.SetRemoveAsync(PresenceKeys.Roster(run), user));

    /// <summary>A run of an edge registered (once per edge start).</summary>
    public Task RegisterRunAsync(string edge, Guid run) => redis.Run(db => db.HashSetAsync(PresenceKeys.Runs, run.ToString("N"), edge));

    public async Task<List<(Guid Run, string Edge)>> RunsAsync()
    {
        var entries = await redis.Run(db => db.HashGetAllAsync(PresenceKeys.Runs));
        var runs = new List<(Guid, string)>(entries.Length);
        foreach (var entry in entries)
        {
            if (Guid.TryParseExact((string)entry.Name!, "N", out var run))
            {
                runs.Add((run, (string)entry.Value!));
            }
        }

        return runs;
    }

    public async Task<string[]> RosterAsync(Guid run) =>
        (await redis.Run(db => db.SetMembersAsync(PresenceKeys.Roster(run)))).Select(u => (string)u!).ToArray();

    /// <summary>The run is gone and its users told. The roster goes first: a run left without one is forgotten at the next sweep.</summary>
    public async Task ForgetRunAsync(Guid run)
    {
        await redis.Run(db => db.KeyDeleteAsync(PresenceKeys.Roster(run)));
        await redis.Run(db => db.HashDeleteAsync(PresenceKeys.Runs, run.ToString("N")));
    }
}
