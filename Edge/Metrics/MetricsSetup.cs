using ImActors.Edge.Admin;
using OpenTelemetry.Metrics;

namespace ImActors.Edge.Metrics;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c> on the admin listener (never on the clients' ports): the edge's own
/// instruments, the store's and the grains' when a silo runs in this process, Orleans', Kestrel's and the runtime's.
/// Off unless <c>Admin:Metrics</c> is true; the instruments cost nothing measurable while nothing listens to them.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>
    /// Meters served besides the runtime's: ImActors' own (the edge's, and the silo's in a single node), Orleans' and
    /// Kestrel's. Named here so a process that hosts both serves one set.
    /// </summary>
    public static readonly string[] Meters =
        ["ImActors.*", "Microsoft.Orleans", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Server.Kestrel.Connections"];

    public static IServiceCollection AddEdgeMetrics(this IServiceCollection services, AdminSettings admin)
    {
        services.AddSingleton<EdgeMetrics>();
        if (admin.Metrics)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddRuntimeInstrumentation().AddPrometheusExporter());
        }

        return services;
    }

    /// <summary>Serves the scrape on the admin port only: checked on the connection's local port, not the Host header a client writes.</summary>
    public static void MapMetrics(this WebApplication app, AdminSettings admin)
    {
        if (admin.Metrics)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == admin.Port && http.Request.Path == Path);
        }
    }
}
