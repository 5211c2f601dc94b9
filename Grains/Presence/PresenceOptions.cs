namespace ImActors.Grains.Presence;

/// <summary>Timing of presence. Bound from the "Presence" configuration section.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Presence";

    /// <summary>How long a user stays online after their last session ends: a reconnect within it shows no offline.</summary>
    public TimeSpan OfflineGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Changes of one user within this long after a push to watchers are pushed together at its end, the last state
    /// winning: a flapping device costs its watchers at most one push per window.
    /// </summary>
    public TimeSpan PushWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the cluster looks for edges that are gone, to take their users' sessions offline.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
