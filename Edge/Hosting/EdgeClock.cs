namespace ImActors.Edge.Hosting;

/// <summary>
/// The clock the edge's deadlines, token checks and rate buckets read. A type of its own rather than TimeProvider
/// itself, so that a test can move it without moving the clocks of Kestrel and the Orleans client, which would find
/// TimeProvider in the same container.
/// </summary>
public sealed class EdgeClock(TimeProvider inner) : TimeProvider
{
    public static readonly EdgeClock Real = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
