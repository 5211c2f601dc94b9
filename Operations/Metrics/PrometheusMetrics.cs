using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ImActors.Operations.Metrics;

/// <summary>
/// Prometheus text at <c>/metrics</c> on a process's admin listener (decisions 114, 131): ImActors' meters, Orleans',
/// Kestrel's and the runtime's. One set for every process, so an edge, a silo and the single node serve the same names
/// and a dashboard built on one works on the others.
/// </summary>
public static class PrometheusMetrics
{
    public const string Path = "/metrics";

    /// <summary>
    /// Meters served besides the runtime's: ImActors' own (<c>ImActors.Edge</c> where an edge runs, <c>ImActors.Store</c>
    /// where a silo does), Orleans' and Kestrel's. A meter nobody publishes in a process costs nothing there.
    /// </summary>
    public static readonly string[] Meters =
        ["ImActors.*", "Microsoft.Orleans", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Server.Kestrel.Connections"];

    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddRuntimeInstrumentation().AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Serves the scrape on the admin port only: matched on the connection's local port, not the Host header, which a
    /// client writes. A process whose only HTTP listener is the admin one is matched the same way, so that a client
    /// listener added later cannot serve it by accident.
    /// </summary>
    public static IApplicationBuilder MapPrometheusScrape(this IApplicationBuilder app, int adminPort) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == adminPort && http.Request.Path == Path);
}
