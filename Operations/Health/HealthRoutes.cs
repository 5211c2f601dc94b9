using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImActors.Operations.Health;

/// <summary>
/// The health routes every process serves, on ASP.NET Core's health checks:
/// <c>GET /health/ready</c> (and <c>/health</c>, its older name) runs the checks tagged <see cref="ReadyTag"/>: 200 when
/// the cluster and the store answer, 503 otherwise. <c>GET /health/live</c> runs none: 200 while the process answers at
/// all. An orchestrator restarts on live only, so a store outage does not restart every process with it.
/// </summary>
public static class HealthRoutes
{
    public const string ReadyTag = "ready";

    /// <summary>The readiness check every process has: a grain call that reaches the store (<see cref="ClusterHealthCheck"/>).</summary>
    public static IHealthChecksBuilder AddReadinessChecks(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);

    /// <param name="write">Writes the report as the process describes itself (an edge adds its connections, a silo its address).</param>
    public static void MapHealthRoutes(this WebApplication app, Func<HttpContext, HealthReport, Task> write)
    {
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = write };
        app.MapHealthChecks("/health", ready);
        app.MapHealthChecks("/health/ready", ready);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = write });
    }

    /// <summary>Each check as <c>{status, reason, data}</c>, under its name.</summary>
    public static Dictionary<string, object> Checks(HealthReport report) =>
        report.Entries.ToDictionary(e => e.Key, e => (object)new
        {
            status = e.Value.Status == HealthStatus.Healthy ? "up" : "down",
            reason = e.Value.Description,
            data = e.Value.Data,
        });

    /// <summary>"ok" appears only as the overall status, so that a probe can grep for it.</summary>
    public static string Status(HealthReport report) => report.Status == HealthStatus.Healthy ? "ok" : "unavailable";
}
