using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.OpenApi;

namespace ImActors.Edge.Admin;

/// <summary>
/// The HTTP API for business services that are not .NET (docs/api.md): its listener, its services and its routes.
/// With no API key configured no route is mapped, and no port is opened unless the metrics ask for it (decision 98).
/// </summary>
public static class AdminApi
{
    public static AdminSettings Settings(IConfiguration config) =>
        config.GetSection(AdminSettings.Section).Get<AdminSettings>() ?? new AdminSettings();

    /// <summary>What the listener needs whatever it serves: its settings, and the keys its gate checks.</summary>
    public static void AddAdminListener(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<AdminSettings>(config.GetSection(AdminSettings.Section));
        services.AddSingleton<ApiKeys>();
    }

    public static void AddAdminApi(this IServiceCollection services)
    {
        services.AddSingleton<AdminCalls>();
        // A body that is not the JSON an operation takes is thrown, so that ApiErrorHandling can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ImActors API for business services",
                    Version = "v1",
                    Description = "Every operation but this document needs Authorization: Bearer KEY. Errors are {error, message, field, retryable}.",
                };
                return Task.CompletedTask;
            });
        });
    }

    public static void ListenAdmin(this KestrelServerOptions kestrel, AdminSettings settings, int clientHttpPort)
    {
        if (settings.Port == clientHttpPort)
        {
            throw new InvalidOperationException($"Admin:Port ({settings.Port}) must differ from Edge:HttpPort: the API has a listener of its own");
        }

        kestrel.Listen(IPAddress.Parse(settings.ListenIp), settings.Port);
    }

    public static void MapAdminApi(this WebApplication app)
    {
        app.UseMiddleware<ApiErrorHandling>();
        app.MapOpenApi(AdminGate.OpenApiPath);
        var api = app.MapGroup(AdminGate.Prefix);
        api.MapMessages();
        api.MapGroups();
        api.MapUsers();
        api.MapBlocks();
        api.MapTokens();
        api.MapPresence();
        api.MapStatus();
    }
}
