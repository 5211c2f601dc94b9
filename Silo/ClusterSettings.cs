namespace ImActors.Silo;

/// <summary>The silo's place in the cluster. Bound from the "Cluster" section (not "Orleans": Orleans binds that one itself).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>Fixed for the product: all deployments' grain state keys are under it.</summary>
    public const string ServiceId = "imactors";

    /// <summary>One deployment; silos and edges of the same cluster must agree on it.</summary>
    public string ClusterId { get; set; } = "dev";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and edges reach this silo at. Loopback for a single machine.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>
    /// Period and timeout of the liveness probes silos send each other. Orleans' default (10 s, 3 misses)
    /// left the grains of a crashed silo unreachable for about 14 s; 1 s with 2 misses declares it dead
    /// in about a second (measured in docs/operations.md, "Membership timing").
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes after which a silo is suspected; enough suspicions declare it dead.</summary>
    public int NumMissedProbesLimit { get; set; } = 2;
}
