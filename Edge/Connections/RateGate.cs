namespace ImActors.Edge.Connections;

/// <summary>
/// A token bucket for one connection: <c>burst</c> events at once, refilled at <c>perSecond</c>. Only the
/// connection's own read loop calls it, one frame at a time, so it needs no lock.
/// </summary>
internal sealed class RateGate(int burst, double perSecond)
{
    private double _tokens = burst;
    private long _lastRefill = Environment.TickCount64;

    public bool TryPass()
    {
        var now = Environment.TickCount64;
        _tokens = Math.Min(burst, _tokens + (now - _lastRefill) / 1000.0 * perSecond);
        _lastRefill = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
