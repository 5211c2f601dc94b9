using System.Text.Json;
using ImActors.Operations.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ImActors.Silo.Health;

/// <summary>
/// A silo's health routes (<see cref="HealthRoutes"/>, shared with the edge): ready while this silo is an active member
/// and the store answers it (the probe grain is a stateless worker, so the call stays on this silo and checks its own
/// store connection).
/// </summary>
internal static class SiloHealthEndpoints
{
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddReadinessChecks().AddCheck<MembershipHealthCheck>("membership", tags: [HealthRoutes.ReadyTag]);
        return services;
    }

    public static void MapSiloHealth(this WebApplication app) => app.MapHealthRoutes(WriteAsync);

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = HealthRoutes.Status(report),
            silo = http.RequestServices.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(),
            checks = HealthRoutes.Checks(report),
        }, JsonOptions, http.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
