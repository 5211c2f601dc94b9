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
}
