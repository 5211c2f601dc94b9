using ImActors.Grains.Interfaces.Presence;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Presence;

/// <summary>
/// The pushes of one watched user's presence: the edges that watch, the pace of pushes to them, and the state pushed
/// last. A user nobody watches has none of this (most users, most of the time): the tracker makes it at the first
/// watch, or at activation when the store still lists watching edges.
/// </summary>
internal sealed class PresencePushes
{
    private readonly WatcherEdges _edges;
    private readonly PushThrottle _throttle;
    private readonly Func<UserPresence> _current;
    private readonly ILogger _logger;
    private UserPresence _pushed;

    public PresencePushes(
        WatcherEdges edges, Func<UserPresence> current, TimeSpan window, TimeProvider time,
        Func<Func<Task>, TimeSpan, IDisposable> schedule, ILogger logger)
    {
        (_edges, _current, _logger) = (edges, current, logger);
        _throttle = new PushThrottle(window, time, schedule, PushAsync);
        _pushed = current();
    }

    public Task WatchAsync(string edge, long generation) => _edges.WatchAsync(edge, generation);

    public Task UnwatchAsync(string edge, long generation) => _edges.UnwatchAsync(edge, generation);

    public Task ChangedAsync() => _throttle.ChangedAsync();

    /// <summary>Pushes a change held back by the throttle now (the grain is deactivating, and its timers with it).</summary>
    public Task FlushAsync() => _throttle.FlushAsync();

    private async Task PushAsync()
    {
        var now = _current();
        if (now.SameAs(_pushed) || _edges.Count == 0)
        {
            _pushed = now;
            return;
        }

        _pushed = now;
        try
        {
            foreach (var endpoint in await _edges.LiveAsync())
            {
                await endpoint.DeliverPresence(now);
            }
        }
        catch (Exception e)
        {
            // Best effort like every push: a watcher that missed it sees the state at its next watch or query.
            _logger.LogWarning(e, "Presence push of {UserId} failed", now.User);
        }
    }
}
