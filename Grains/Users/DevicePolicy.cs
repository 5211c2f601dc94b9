using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Users;

/// <summary>
/// Who is signed out when a device signs in (decision 97). Pure: the user grain hands over the live sessions and the
/// new one and closes what this returns. The newcomer always stays: the person at the device signing in is the one
/// acting now, and refusing them would lock a user out behind a device they no longer hold.
/// </summary>
public sealed class DevicePolicy
{
    private readonly int _maxPerUser;
    private readonly Dictionary<string, (string Name, int Max)> _classOfPlatform = new(StringComparer.OrdinalIgnoreCase);

    public DevicePolicy(DeviceOptions options)
    {
        if (DeviceOptions.Validate(options) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _maxPerUser = options.MaxPerUser;
        foreach (var (name, deviceClass) in options.ResolveClasses())
        {
            foreach (var platform in deviceClass.Platforms)
            {
                _classOfPlatform[platform] = (name, deviceClass.Max);
            }
        }
    }

    /// <summary>The class a platform belongs to; null when none (such devices count only towards the per-user cap).</summary>
    public string? ClassOf(string platform) => _classOfPlatform.TryGetValue(platform, out var c) ? c.Name : null;

    /// <summary>
    /// The sessions to close so that <paramref name="joining"/> fits: first the oldest of its class beyond the class's
    /// limit, then the oldest of any class beyond the per-user cap. A session of the joining device itself is not
    /// counted: that one is replaced, by another rule.
    /// </summary>
    public IReadOnlyList<Eviction> Evictions(IEnumerable<SessionInfo> live, SessionInfo joining)
    {
        var others = live.Where(s => s.Device != joining.Device).OrderBy(s => s.ConnectedAt).ToList();
        var evictions = new List<Eviction>();
        if (_classOfPlatform.TryGetValue(joining.Platform, out var joiningClass))
        {
            var sameClass = others.Where(s => ClassOf(s.Platform) == joiningClass.Name).ToList();
            foreach (var session in sameClass.Take(Math.Max(0, sameClass.Count + 1 - joiningClass.Max)))
            {
                var limit = joiningClass.Max == 1 ? $"1 {joiningClass.Name} device" : $"{joiningClass.Max} {joiningClass.Name} devices";
                evictions.Add(Eviction.Kicked(session, $"signed in on {joining.Device}: at most {limit} per user"));
                others.Remove(session);
            }
        }

        foreach (var session in others.Take(Math.Max(0, others.Count + 1 - _maxPerUser)))
        {
            evictions.Add(Eviction.Kicked(session, $"signed in on {joining.Device}: at most {_maxPerUser} devices per user"));
        }

        return evictions;
    }
}
