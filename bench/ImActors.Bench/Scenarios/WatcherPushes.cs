using System.Collections.Concurrent;
using ImActors.Bench.Measurement;
using ImActors.Protocol.Frames;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// What the watchers of <c>presence</c> receive: every push is counted while the measurement runs, and the push of a
/// measured login (the user online) is timed from that login's scheduled time.
/// </summary>
public sealed class WatcherPushes
{
    private readonly ConcurrentDictionary<string, long> _loginDue = new(StringComparer.Ordinal);
    private volatile bool _measuring;
    private long _pushes;
    private long _loginPushes;

    public LatencyRecorder LoginToPush { get; } = new();

    /// <summary>Pushes received while <see cref="Measure"/> was on.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>Pushes that showed a measured login's user online: the watchers each login reached.</summary>
    public long LoginPushes => Interlocked.Read(ref _loginPushes);

    public void Measure(bool on) => _measuring = on;

    /// <summary>A measured login of <paramref name="user"/> is due at <paramref name="scheduledTimestamp"/>.</summary>
    public void LoginDue(string user, long scheduledTimestamp) => _loginDue[user] = scheduledTimestamp;

    public void Take(PresenceFrame push)
    {
        if (_measuring)
        {
            Interlocked.Increment(ref _pushes);
        }

        // A user goes offline only after the server's grace, well after its login's pushes: an online push is the login's.
        if (push.Online && _loginDue.TryGetValue(push.User, out var due))
        {
            Interlocked.Increment(ref _loginPushes);
            LoginToPush.Record(due);
        }
    }
}
