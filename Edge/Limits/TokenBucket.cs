namespace ImActors.Edge.Limits;

/// <summary>
/// A token bucket read on demand: no timer (refilled from the elapsed time when asked) and no lock of its own, since
/// one per connection is touched by that connection's read loop only; <see cref="UserBudget"/> locks around its own.
/// <c>System.Threading.RateLimiting</c>'s token bucket owns a timer each, and its partitioned limiter a global lock:
/// too much for every frame of every connection.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _burst;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double burst, double perSecond, TimeProvider time)
    {
        _burst = Math.Max(1, burst);
        _perSecond = perSecond;
        _time = time;
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Null when the bucket is off (a rate of 0).</summary>
    public static TokenBucket? Of(double burst, double perSecond, TimeProvider time) =>
        perSecond > 0 ? new TokenBucket(burst, perSecond, time) : null;

    /// <summary>Takes <paramref name="cost"/> tokens (at most a full burst, so one large frame can always pass eventually) or says how long until it could.</summary>
    public bool TryTake(double cost, out TimeSpan retryAfter)
    {
        cost = Math.Min(cost, _burst);
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
        _refilledAt = now;
        if (_tokens >= cost)
        {
            _tokens -= cost;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((cost - _tokens) / _perSecond);
        return false;
    }

    /// <summary>Gives back what <see cref="TryTake"/> took, when a later check refused the same frame.</summary>
    public void Return(double cost) => _tokens = Math.Min(_burst, _tokens + Math.Min(cost, _burst));
}
