using System.Net;
using ImActors.Operations.Metrics;
using ImActors.Silo.Admin;
using ImActors.Silo.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImActors.Silo.Hosting;

/// <summary>
/// The silo process: the silo (<see cref="SiloSetup.AddImActorsSilo"/>) and its admin listener, the process's only HTTP
/// listener, serving health and, with <c>Admin:Metrics</c>, the Prometheus scrape (decision 131). The single node hosts
/// the silo without this listener: its edge's admin listener serves both.
/// </summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var admin = builder.Configuration.GetSection(SiloAdminSettings.Section).Get<SiloAdminSettings>() ?? new SiloAdminSettings();
        builder.AddImActorsSilo();
        // Replaces Kestrel's default address (localhost:5000): nothing else listens for HTTP here.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(admin.ListenIp), admin.Port));
        builder.Services.AddSiloHealthChecks();
        if (admin.Metrics)
        {
            builder.Services.AddPrometheusMetrics();
        }

        var app = builder.Build();
        if (admin.Metrics)
        {
            app.MapPrometheusScrape(admin.Port);
        }

        app.MapSiloHealth();
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Silo admin listener on http://{Ip}:{Port}: /health/ready, /health/live{Metrics}",
            admin.ListenIp, admin.Port, admin.Metrics ? ", " + PrometheusMetrics.Path : " (metrics off: Admin:Metrics)"));
        return app;
    }
}
