namespace ImActors.Edge.Delivery;

/// <summary>
/// Counts of what the cluster pushed to this edge, shown on /health: the per-edge fan-out of groups is
/// visible here (one group push per message, whatever the number of members connected to this edge).
/// </summary>
public sealed class DeliveryStats
{
    private long _directPushes;
    private long _groupPushes;
    private long _notices;
    private long _presencePushes;
    private long _framesQueued;

    public long DirectPushes => Interlocked.Read(ref _directPushes);

    public long GroupPushes => Interlocked.Read(ref _groupPushes);

    public long Notices => Interlocked.Read(ref _notices);

    /// <summary>Presence changes pushed here: one per change of a watched user, whatever the number of watchers here.</summary>
    public long PresencePushes => Interlocked.Read(ref _presencePushes);

    /// <summary>Frames queued on client connections by pushes.</summary>
    public long FramesQueued => Interlocked.Read(ref _framesQueued);

    internal void DirectPush() => Interlocked.Increment(ref _directPushes);

    internal void GroupPush() => Interlocked.Increment(ref _groupPushes);

    internal void Notice() => Interlocked.Increment(ref _notices);

    internal void PresencePush() => Interlocked.Increment(ref _presencePushes);

    internal void Queued(int frames) => Interlocked.Add(ref _framesQueued, frames);
}
