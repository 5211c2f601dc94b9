using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ImActors.Silo.Health;

/// <summary>
/// Ready needs this silo to be an active member of the cluster: while it is still joining, or once it is shutting down
/// or declared dead, the cluster does not place grains on it, whatever its store connection says.
/// </summary>
internal sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var data = new Dictionary<string, object> { ["silo"] = silo.SiloAddress.ToParsableString(), ["membership"] = status.ToString() };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("this silo is an active member of the cluster", data)
            : HealthCheckResult.Unhealthy($"this silo is {status} in the cluster's membership, not Active", data: data));
    }
}
