using System.Text.Json;
using ImActors.Edge.Admission;
using ImActors.Edge.Delivery;
using ImActors.Edge.Sessions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Health;

/// <summary>
/// <c>GET /health</c> and <c>GET /health/ready</c>: ready (200) when the cluster and the store answer, 503 otherwise, with what this edge holds.
/// <c>GET /health/live</c>: the process answers (200), whatever the cluster does; an orchestrator restarts on this
/// one only, so a store outage does not restart every edge and drop every connection with it.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddEdgeHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);
        return services;
    }

    public static void MapEdgeHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        // The name orchestrators expect next to /health/live; the same check as /health.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var services = http.RequestServices;
        var connections = services.GetRequiredService<LocalConnections>();
        var groups = services.GetRequiredService<LocalGroups>();
        var stats = services.GetRequiredService<DeliveryStats>();
        var edge = services.GetRequiredService<IOptions<EdgeSettings>>().Value;
        var admission = services.GetRequiredService<IOptions<AdmissionSettings>>().Value;
        var checks = report.Entries.ToDictionary(e => e.Key, e => new
        {
            status = e.Value.Status == HealthStatus.Healthy ? "up" : "down",
            reason = e.Value.Description,
            data = e.Value.Data,
        });
        http.Response.ContentType = "application/json";
        // "ok" appears only as the overall status, so a probe can grep for it.
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status == HealthStatus.Healthy ? "ok" : "unavailable",
            edge = services.GetRequiredService<EdgeIdentity>().EdgeId,
            checks,
            connections = connections.Count,
            // The caps next to the count, so an operator sees how close the edge is to refusing connections.
            limits = new
            {
                maxConnections = edge.MaxConnections,
                maxConnectionsPerAddress = admission.MaxConnectionsPerAddress,
                connectsPerSecondPerAddress = admission.ConnectsPerSecondPerAddress,
            },
            users = connections.Users,
            groups = new { subscribed = groups.Count, subscribeCalls = groups.SubscribeCalls },
            pushes = new { direct = stats.DirectPushes, group = stats.GroupPushes, notices = stats.Notices, framesQueued = stats.FramesQueued },
        }, JsonOptions, http.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
