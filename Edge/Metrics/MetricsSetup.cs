using ImActors.Edge.Admin;
using ImActors.Operations.Metrics;

namespace ImActors.Edge.Metrics;

/// <summary>
/// The edge's metrics: its own instruments always (they cost nothing measurable while nothing listens), and the
/// Prometheus scrape (<see cref="PrometheusMetrics"/>, shared with the silo) at <c>/metrics</c> on the admin listener,
/// never on the clients' ports, when <c>Admin:Metrics</c> is true. In a single node the silo's instruments are served here too.
/// </summary>
public static class MetricsSetup
{
    public const string Path = PrometheusMetrics.Path;

    public static IServiceCollection AddEdgeMetrics(this IServiceCollection services, AdminSettings admin)
    {
        services.AddSingleton<EdgeMetrics>();
        if (admin.Metrics)
        {
            services.AddPrometheusMetrics();
        }

        return services;
    }

    public static void MapMetrics(this WebApplication app, AdminSettings admin)
    {
        if (admin.Metrics)
        {
            app.MapPrometheusScrape(admin.Port);
        }
    }
}
