using Microsoft.Extensions.Options;

namespace ImActors.Edge.Admin;

/// <summary>
/// Keeps the API on its own listener: on the admin port only <c>/api/v1</c> is served, and only to a request with a
/// configured key (the OpenAPI document aside, which describes the API and holds nothing); on the clients' ports
/// <c>/api</c> does not exist. Checked on the connection's local port, not the Host header, which a client writes.
/// </summary>
public sealed class AdminGate(RequestDelegate next, IOptions<AdminSettings> settings, ApiKeys keys, ILogger<AdminGate> logger)
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = Prefix + "/openapi.json";
    public const string DashboardPath = "/dashboard";

    private readonly int _port = settings.Value.Port;
    private readonly bool _apiEnabled = settings.Value.IsEnabled;
    private readonly bool _dashboard = settings.Value.ServesDashboard;

    public Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (http.Connection.LocalPort != _port)
        {
            return path.StartsWithSegments("/api") || path.StartsWithSegments(DashboardPath)
                ? Refuse(http, StatusCodes.Status404NotFound, "not_found", "no such endpoint on this port")
                : next(http);
        }

        if (_dashboard && path.StartsWithSegments(DashboardPath))
        {
            if (keys.Match(http.Request.Headers.Authorization) is null)
            {
                // A browser asks for a user name and password on this: any name, an API key as the password.
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"ImActors dashboard\", charset=\"UTF-8\"";
                return Refuse(http, StatusCodes.Status401Unauthorized, "unauthorized", "give an API key as the password (any user name)");
            }

            return next(http);
        }

        if (!path.StartsWithSegments(Prefix))
        {
            return Refuse(http, StatusCodes.Status404NotFound, "not_found", $"this port serves {Prefix} (and /metrics when Admin:Metrics is on, {DashboardPath} when Admin:Dashboard is) only");
        }

        if (!_apiEnabled)
        {
            return Refuse(http, StatusCodes.Status404NotFound, "not_found", "the API is off: no Admin:ApiKeys configured");
        }

        if (path.Equals(OpenApiPath, StringComparison.Ordinal))
        {
            return next(http);
        }

        if (keys.Match(http.Request.Headers.Authorization) is not { } caller)
        {
            var reason = http.Request.Headers.Authorization.Count == 0
                ? "send an API key: Authorization: Bearer KEY"
                : "the API key is not one this edge accepts";
            return Refuse(http, StatusCodes.Status401Unauthorized, "unauthorized", reason);
        }

        logger.LogDebug("{Method} {Path} by {ApiKey}", http.Request.Method, path, caller);
        return next(http);
    }

    private static Task Refuse(HttpContext http, int status, string error, string reason)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ApiError(error, reason));
    }
}
