using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Presence;

/// <summary>
/// One user's presence, kept by the user's grain: online while a session lives and for the offline grace after the
/// last one ends, the devices, when last seen, and the pushes of each change to the edges that watch the user.
/// Nothing here runs while the user idles: the grace timer exists only between a last session's end and the
/// user going offline. What only a watched user needs (<see cref="PresencePushes"/>) is made at the first watch, so an
/// online user nobody watches holds little more than this object. The rosters of edge runs (who has a session where)
/// are updated when a user's first session on a run starts and its last one ends, so that the sweep of gone edges
/// knows whom to tell (<see cref="EdgeSweeperGrain"/>).
/// </summary>
internal sealed class PresenceTracker
{
    private readonly PresenceTrackers _context;
    private readonly Grain _grain;
    private readonly string _user;
    private readonly ILogger _logger;
    private IReadOnlyCollection<SessionInfo> _sessions;

    // The edge runs the user has sessions on: almost always one, so an array, not a set.
    private Guid[] _runs;
    private bool _online;
    private DateTimeOffset? _lastSeen;
    private IDisposable? _grace;
    private PresencePushes? _pushes;

    public PresenceTracker(
        PresenceTrackers context, Grain grain, string user, IReadOnlyCollection<SessionInfo> sessions, DateTimeOffset? lastSeen,
        Dictionary<string, long>? watchers, ILogger logger)
    {
        (_context, _grain, _user, _sessions, _lastSeen, _logger) = (context, grain, user, sessions, lastSeen, logger);
        _runs = Runs(sessions);
        _online = sessions.Count > 0;
        if (watchers is not null)
        {
            _pushes = NewPushes(watchers);
        }
    }

    public UserPresence Current => new(_user, _online, _online ? _context.Time.GetUtcNow() : _lastSeen, Devices(_sessions));

    /// <summary>The user's sessions changed (a connect, a disconnect, sessions of gone edges dropped).</summary>
    public async Task SessionsChangedAsync(IReadOnlyCollection<SessionInfo> sessions)
    {
        await UpdateRostersAsync(Runs(sessions));
        _sessions = sessions;
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
                _lastSeen = _context.Time.GetUtcNow();
                await _context.Store.StartGraceAsync(_user, _lastSeen.Value, _lastSeen.Value + _context.Options.OfflineGrace);
                _grace = Schedule(GraceEndedAsync, _context.Options.OfflineGrace);
            }

            // Watchers hear nothing until the grace ends: a reconnect within it is not a change worth a push.
            return;
        }

        await ChangedAsync();
    }

    public async Task<UserPresence> WatchAsync(string edge, long generation)
    {
        _pushes ??= NewPushes(new Dictionary<string, long>(StringComparer.Ordinal));
        await _pushes.WatchAsync(edge, generation);
        return Current;
    }

    public Task UnwatchAsync(string edge, long generation) => _pushes?.UnwatchAsync(edge, generation) ?? Task.CompletedTask;

    /// <summary>
    /// The sweep found the user's grace over in the store but never closed: the silo that ran its timer was lost (or
    /// the user reconnected). Reports <c>user.offline</c> now when no session lives, and closes the grace.
    /// </summary>
    public async Task GraceLapsedAsync()
    {
        if (_grace is not null)
        {
            // This activation's timer runs it.
            return;
        }

        if (_sessions.Count > 0)
        {
            await _context.Store.EndGraceAsync(_user);
            return;
        }

        // A new activation, offline since it loaded: the store step reports offline only if "online" was reported.
        _online = false;
        await _context.Store.ReportOfflineAsync(_user, _context.Time.GetUtcNow());
    }

    /// <summary>The grain is deactivating, and its timers with it: what they would have pushed is pushed now.</summary>
    public async Task DeactivatingAsync()
    {
        if (_grace is not null)
        {
            await GraceEndedAsync();
        }

        if (_pushes is not null)
        {
            await _pushes.FlushAsync();
        }
    }

    private Task ChangedAsync() => _pushes?.ChangedAsync() ?? Task.CompletedTask;

    private async Task GraceEndedAsync()
    {
        _grace?.Dispose();
        _grace = null;
        if (_sessions.Count == 0 && _online)
        {
            _online = false;
            await _context.Store.ReportOfflineAsync(_user, _context.Time.GetUtcNow());
            await ChangedAsync();
        }
    }

    private PresencePushes NewPushes(Dictionary<string, long> watchers) => new(
        _context.Watchers(_user, watchers), () => Current, _context.Options.PushWindow, _context.Time, Schedule, _logger);

    private IDisposable Schedule(Func<Task> callback, TimeSpan due) => _grain.RegisterGrainTimer(callback, due, Timeout.InfiniteTimeSpan);

    private async Task UpdateRostersAsync(Guid[] runs)
    {
        foreach (var run in runs.Where(r => !_runs.Contains(r)))
        {
            await _context.Store.JoinRunAsync(run, _user);
        }

        foreach (var run in _runs.Where(r => !runs.Contains(r)))
        {
            await _context.Store.LeaveRunAsync(run, _user);
        }

        _runs = runs;
    }

    private static Guid[] Runs(IReadOnlyCollection<SessionInfo> sessions) => sessions.Select(s => s.EdgeIncarnation).Distinct().ToArray();

    private static DevicePresence[] Devices(IReadOnlyCollection<SessionInfo> sessions) =>
        sessions.OrderBy(s => s.Device, StringComparer.Ordinal).Select(s => new DevicePresence(s.Device, s.Platform, s.ConnectedAt)).ToArray();
}
