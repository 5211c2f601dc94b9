namespace ImActors.Protocol.Retry;

/// <summary>
/// The one backoff policy of the SDK and the edge: the SDK's reconnects and the sends the server asked to try again,
/// and the edge's retries of grain calls through a failover. Attempt n (from 0) waits
/// <c>first · 2^n</c>, capped. With jitter the wait is drawn evenly from <c>[first/2, first/2 + that)</c>, so a
/// thousand clients of a dead edge do not come back in one burst, and none comes back sooner than first/2.
/// </summary>
/// <remarks>
/// Not Polly's retry strategy: its jitter (decorrelated) would change the reconnect delays clients have today; its
/// attempt count lives inside one execution, while reconnects restart theirs on every welcome and move to the
/// next edge on every attempt; and a send waits only after a "try again" error, not after an ACK timeout. Fitting
/// that in takes a delay generator holding this same formula and a loop around the pipeline anyway: a dependency
/// for every application that takes the SDK, in exchange for nothing. It lives in the protocol library because that
/// is the one library the edge and every .NET client share.
/// </remarks>
public sealed class Backoff(TimeSpan first, TimeSpan cap, bool jitter)
{
    // Doubling stops after ten attempts, as reconnects always did: the shift cannot overflow, and the caps in use
    // are reached well before.
    private const int MaxDoublings = 10;

    public TimeSpan DelayFor(int attempt)
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, first.TotalMilliseconds * (1 << Math.Min(attempt, MaxDoublings)));
        return TimeSpan.FromMilliseconds(jitter ? Random.Shared.NextDouble() * ceiling + first.TotalMilliseconds / 2 : ceiling);
    }
}
