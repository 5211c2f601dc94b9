using System.Net;
using ImActors.Bench.Load;

namespace ImActors.Bench.Targets;

/// <summary>
/// One system under test, as the scenarios see it. A scenario is written once against this seam and runs
/// unchanged against ImActors (over its own protocol or MQTT), the SignalR peer, mosquitto or the calibration relay.
/// </summary>
public interface IBenchTarget
{
    /// <summary>The name in reports: imactors, imactors-mqtt, signalr-user, signalr-group, mosquitto, relay.</summary>
    string Name { get; }

    /// <summary>Messages survive a disconnect (the reconnect storm needs this).</summary>
    bool Durable { get; }

    /// <summary>Group sends are available; when not, <see cref="GroupsMissingReason"/> says why.</summary>
    string? GroupsMissingReason { get; }

    /// <summary>Connects and authenticates <paramref name="user"/> on the server at <paramref name="serverIndex"/> (round robin over edges).</summary>
    Task<IBenchConnection> ConnectAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken);
}

/// <summary>One authenticated connection of one user. Sends are fire-and-forget; outcomes land in the run's counters.</summary>
public interface IBenchConnection : IAsyncDisposable
{
    string User { get; }

    void SendDirect(string to, byte[] body);

    void SendGroup(string group, byte[] body);

    /// <summary>Creates a group with these members (the caller is one of them), or joins it where the target has no membership of its own.</summary>
    Task JoinGroupAsync(string group, IReadOnlyList<string> members, bool creator, CancellationToken cancellationToken);

    /// <summary>Keeps an idle connection alive (the ImActors edge closes connections silent for three heartbeats).</summary>
    void Heartbeat();
}
