using System.Diagnostics;
using ImActors.Protocol.Retry;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace ImActors.Edge.Calls;

/// <summary>
/// The edge's one retry policy for grain calls. While a silo dies or leaves, calls to the grains it
/// hosted fail for a second or two (the silo is unreachable, its messages are rejected, a gateway
/// connection drops) and then succeed again on another silo. Retrying here, with a short backoff, hides
/// that from the client; only when the cluster stays unreachable for the whole budget does the client
/// get the retryable error frame. Every call retried through this is safe to repeat: sends are
/// idempotent by client message id, syncs only read, and connecting twice replaces the same session.
/// </summary>
public static class TransientRetry
{
    /// <summary>
    /// Total time spent retrying one request. Below the SDK's default ACK timeout (5 s), so a client
    /// normally hears from this attempt before it resends the same frame.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    /// <summary>
    /// One attempt is given up after this long. A request in flight to a silo when it is killed is not
    /// failed when the silo is declared dead: the edge's Orleans client waits out its 30 s response
    /// timeout (seen in the edges' logs during the drills). A connection's frames are handled one at a
    /// time, so that would stall the client for 30 s. Not shorter: a user's first call (activation, state
    /// read) can take over a second on a loaded machine, and a retry queues behind the abandoned call in
    /// the same grain, so 1 s made such sends fail over and over (6-8 s instead of 1-2 s; decision 41).
    /// Abandoning a send or a sync is safe for the same reason retrying is (see connects below).
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    // 50 ms doubling to 500 ms, no jitter: the callers are this edge's own requests, not a crowd of clients.
    private static readonly Backoff Delays = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), jitter: false);

    /// <param name="abandonSlowAttempts">
    /// False for calls that must not run after a later one: an abandoned attempt may still be executed by
    /// the grain afterwards. A late connect would replace the session the client has opened since (and close
    /// it with "replaced"), so connects are only retried when they fail, never abandoned.
    /// </param>
    /// <param name="retrying">Told before each retry (the retries metric).</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, bool abandonSlowAttempts = true, Action? retrying = null)
    {
        var started = Stopwatch.GetTimestamp();
        var attemptTimeout = abandonSlowAttempts ? AttemptTimeout : Timeout.InfiniteTimeSpan;
        // The delay is worked out only when an attempt failed: every grain call of the edge passes through here.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call().WaitAsync(attemptTimeout);
            }
            catch (Exception e) when (IsTransient(e) && Stopwatch.GetElapsedTime(started) + Delays.DelayFor(attempt) < Budget)
            {
                retrying?.Invoke();
                await Task.Delay(Delays.DelayFor(attempt));
            }
        }
    }

    /// <summary>
    /// Errors a failover cures. Store errors are not among them: an unreachable store is reported to the
    /// client at once (retryable), since it usually stays away longer than this budget and the client
    /// backs off on its own.
    /// </summary>
    public static bool IsTransient(Exception e) => e is
        SiloUnavailableException // the silo hosting the activation died or left
        or OrleansMessageRejectionException // messages to a dead silo or through a closed gateway
        or ConnectionFailedException // a gateway connection could not be opened
        or GatewayTooBusyException
        or InconsistentStateException // two activations for a moment during a failover: the stale one loses its write
        or TimeoutException; // our attempt bound, or Orleans' response timeout
}
