namespace ImActors.Edge.Limits;

/// <summary>A kind of bucket's shape from the settings, shared by every bucket of that kind. A rate of 0 turns it off.</summary>
internal readonly record struct BucketRate(double Burst, double PerSecond)
{
    public bool IsOn => PerSecond > 0;

    public static BucketRate Of(double burst, double perSecond) => new(Math.Max(1, burst), perSecond);
}

/// <summary>
/// A token bucket read on demand: no timer (refilled from the elapsed time when asked) and no lock of its own, since
/// one per connection is touched by that connection's read loop only; <see cref="UserBudget"/> locks around its own.
/// A value held in its owner's fields, its shape (<see cref="BucketRate"/>) passed in: every welcomed connection has
/// five, so each is two numbers and no object (decision 100). <c>System.Threading.RateLimiting</c>'s token bucket owns
/// a timer each, and its partitioned limiter a global lock: too much for every frame of every connection.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _refilledAt;

    public static TokenBucket Full(BucketRate rate, TimeProvider time) => new() { _tokens = rate.Burst, _refilledAt = time.GetTimestamp() };

    /// <summary>Takes <paramref name="cost"/> tokens (at most a full burst, so one large frame can always pass eventually) or says how long until it could.</summary>
    public bool TryTake(BucketRate rate, double cost, TimeProvider time, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!rate.IsOn)
        {
            return true;
        }

        cost = Math.Min(cost, rate.Burst);
        var now = time.GetTimestamp();
        _tokens = Math.Min(rate.Burst, _tokens + time.GetElapsedTime(_refilledAt, now).TotalSeconds * rate.PerSecond);
        _refilledAt = now;
        if (_tokens >= cost)
        {
            _tokens -= cost;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((cost - _tokens) / rate.PerSecond);
        return false;
    }

    /// <summary>Gives back what <see cref="TryTake"/> took, when a later check refused the same frame.</summary>
    public void Return(BucketRate rate, double cost)
    {
        if (rate.IsOn)
        {
            _tokens = Math.Min(rate.Burst, _tokens + Math.Min(cost, rate.Burst));
        }
    }
}
