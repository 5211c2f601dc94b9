using System.Text.Json;
using ImActors.Edge.Admission;
using ImActors.Edge.Delivery;
using ImActors.Edge.Sessions;
using ImActors.Operations.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Health;

/// <summary>
/// The edge's health routes (<see cref="HealthRoutes"/>, shared with the silo) on its HTTP listener, answered with what
/// this edge holds: its connections and their caps, groups, pushes.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = HealthRoutes.ReadyTag;

    public static IServiceCollection AddEdgeHealthChecks(this IServiceCollection services)
    {
        services.AddReadinessChecks();
        return services;
    }

    public static void MapEdgeHealth(this WebApplication app) => app.MapHealthRoutes(WriteAsync);

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var services = http.RequestServices;
        var connections = services.GetRequiredService<LocalConnections>();
        var groups = services.GetRequiredService<LocalGroups>();
        var stats = services.GetRequiredService<DeliveryStats>();
        var edge = services.GetRequiredService<IOptions<EdgeSettings>>().Value;
        var admission = services.GetRequiredService<IOptions<AdmissionSettings>>().Value;
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = HealthRoutes.Status(report),
            edge = services.GetRequiredService<EdgeIdentity>().EdgeId,
            checks = HealthRoutes.Checks(report),
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
