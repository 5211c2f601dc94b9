using ImActors.Edge.Hosting;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Limits;

/// <summary>
/// Users this edge closed for flooding (<c>closing 429</c>), each until its cool-down ends
/// (<see cref="RateLimitSettings.CooldownAfterClose"/>): their hellos meanwhile are refused with <c>429</c> before any
/// grain is called. A flooder that reconnects at once after every close otherwise signs in twenty times a second, and
/// each sign-in (a session registered with the user's grain and ended again) costs the cluster far more than the sends
/// the limit refused.
/// </summary>
public sealed class AbuseCooldowns(IOptions<RateLimitSettings> options, EdgeClock time)
{
    private readonly TimeSpan _cooldown = options.Value.CooldownAfterClose;
    private readonly Dictionary<string, long> _until = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The user was just closed for flooding: their cool-down starts now.</summary>
    public void Start(string user)
    {
        if (_cooldown <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_until.Count >= 1024)
            {
                // Past ones are dropped here rather than on a timer: the map only grows while users are being closed.
                foreach (var past in _until.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _until.Remove(past);
                }
            }

            _until[user] = now + (long)(_cooldown.TotalSeconds * time.TimestampFrequency);
        }
    }

    /// <summary>How long the user must still wait before a hello is taken; zero when they need not.</summary>
    public TimeSpan Remaining(string user)
    {
        lock (_lock)
        {
            if (!_until.TryGetValue(user, out var until))
            {
                return TimeSpan.Zero;
            }

            var left = until - time.GetTimestamp();
            if (left > 0)
            {
                return TimeSpan.FromSeconds((double)left / time.TimestampFrequency);
            }

            _until.Remove(user);
            return TimeSpan.Zero;
        }
    }
}
