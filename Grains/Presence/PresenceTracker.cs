using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Presence;

/// <summary>
/// One user's presence, kept by the user's grain: online while a session lives and for the offline grace after the
/// last one ends, the devices, when last seen, and the pushes of each change to the edges that watch the user.
/// Nothing here runs while the user idles: the grace timer exists only between a last session's end and the
/// user going offline, and the push throttle's only while changes are held back. The rosters of edge runs (who has a
/// session where) are updated when a user's first session on a run starts and its last one ends, so that the sweep
/// of gone edges knows whom to tell (<see cref="EdgeSweeperGrain"/>).
/// </summary>
internal sealed class PresenceTracker
{
    private readonly string _user;
    private readonly WatcherEdges _watchers;
    private readonly PresenceStore _store;
    private readonly PresenceOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<Func<Task>, TimeSpan, IDisposable> _schedule;
    private readonly ILogger _logger;
    private readonly PushThrottle _throttle;
    private HashSet<Guid> _runs;
    private DevicePresence[] _devices;
    private bool _online;
    private DateTimeOffset? _lastSeen;
    private IDisposable? _grace;
    private UserPresence _pushed;

    public PresenceTracker(
        string user, IReadOnlyCollection<SessionInfo> sessions, DateTimeOffset? lastSeen, WatcherEdges watchers, PresenceStore store,
        PresenceOptions options, TimeProvider time, Func<Func<Task>, TimeSpan, IDisposable> schedule, ILogger logger)
    {
        (_user, _watchers, _store, _options, _time, _schedule, _logger) = (user, watchers, store, options, time, schedule, logger);
        _throttle = new PushThrottle(options.PushWindow, time, schedule, PushAsync);
        _runs = Runs(sessions);
        _devices = Devices(sessions);
        _online = sessions.Count > 0;
        _lastSeen = lastSeen;
        _pushed = Current;
    }

    public UserPresence Current => new(_user, _online, _online ? _time.GetUtcNow() : _lastSeen, _devices);

    /// <summary>The user's sessions changed (a connect, a disconnect, sessions of gone edges dropped).</summary>
    public async Task SessionsChangedAsync(IReadOnlyCollection<SessionInfo> sessions)
    {
        await UpdateRostersAsync(Runs(sessions));
        _devices = Devices(sessions);
        if (sessions.Count > 0)
        {
            _grace?.Dispose();
            _grace = null;
            _online = true;
        }
        else if (_online)
        {
            if (_grace is null)
            {
                // Stored now, not when the grace ends: a silo lost meanwhile must not lose when the user was last seen.
                _lastSeen = _time.GetUtcNow();
                await _store.SetLastSeenAsync(_user, _lastSeen.Value);
                _grace = _schedule(GraceEndedAsync, _options.OfflineGrace);
            }

            // Watchers hear nothing until the grace ends: a reconnect within it is not a change worth a push.
            return;
        }

        await _throttle.ChangedAsync();
    }

    public async Task<UserPresence> WatchAsync(string edge, long generation)
    {
        await _watchers.WatchAsync(edge, generation);
        return Current;
    }

    public Task UnwatchAsync(string edge, long generation) => _watchers.UnwatchAsync(edge, generation);

    /// <summary>The grain is deactivating, and its timers with it: what they would have pushed is pushed now.</summary>
    public async Task DeactivatingAsync()
    {
        if (_grace is not null)
        {
            await GraceEndedAsync();
        }

        await _throttle.FlushAsync();
    }

    private async Task GraceEndedAsync()
    {
        _grace?.Dispose();
        _grace = null;
        if (_devices.Length == 0 && _online)
        {
            _online = false;
            await _store.ReportOfflineAsync(_user, _time.GetUtcNow());
            await _throttle.ChangedAsync();
        }
    }

    private async Task PushAsync()
    {
        var now = Current;
        if (now.SameAs(_pushed) || _watchers.Count == 0)
        {
            _pushed = now;
            return;
        }

        _pushed = now;
        try
        {
            foreach (var endpoint in await _watchers.LiveAsync())
            {
                await endpoint.DeliverPresence(now);
            }
        }
        catch (Exception e)
        {
            // Best effort like every push: a watcher that missed it sees the state at its next watch or query.
            _logger.LogWarning(e, "Presence push of {UserId} failed", _user);
        }
    }

    private async Task UpdateRostersAsync(HashSet<Guid> runs)
    {
        foreach (var run in runs.Where(r => !_runs.Contains(r)))
        {
            await _store.JoinRunAsync(run, _user);
        }

        foreach (var run in _runs.Where(r => !runs.Contains(r)))
        {
            await _store.LeaveRunAsync(run, _user);
        }

        _runs = runs;
    }

    private static HashSet<Guid> Runs(IReadOnlyCollection<SessionInfo> sessions) => sessions.Select(s => s.EdgeIncarnation).ToHashSet();

    private static DevicePresence[] Devices(IReadOnlyCollection<SessionInfo> sessions) =>
        sessions.OrderBy(s => s.Device, StringComparer.Ordinal).Select(s => new DevicePresence(s.Device, s.Platform, s.ConnectedAt)).ToArray();
}
