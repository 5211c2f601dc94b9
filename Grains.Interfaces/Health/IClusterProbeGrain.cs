namespace ImActors.Grains.Interfaces.Health;

/// <summary>
/// What an edge's health check calls: answering proves a silo serves grain calls; the answer says whether the message
/// store answered that silo and committed. For the system; business services have no use for it.
/// </summary>
[Alias("imactors.IClusterProbeGrain")]
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    /// <summary>The store's round trip from the silo, commit included; a <see cref="Messages.StoreUnavailableException"/> when it did not answer.</summary>
    [Alias("ProbeStore")]
    Task<TimeSpan> ProbeStore();
}
