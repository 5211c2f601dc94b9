namespace ImActors.Edge.Admin;

/// <summary>
/// The operators' and business services' listener, bound from the "Admin" section (env: Admin__ApiKeys__billing=...,
/// Admin__Metrics=true): the HTTP API and the metrics.
/// </summary>
public sealed class AdminSettings
{
    public const string Section = "Admin";

    /// <summary>Address the API's listener binds to: loopback, so only services on the same machine reach it unless told otherwise.</summary>
    public string ListenIp { get; set; } = "127.0.0.1";

    /// <summary>The API's own port, apart from the clients' ports.</summary>
    public int Port { get; set; } = 7480;

    /// <summary>
    /// Name -> key. A request carries a key as <c>Authorization: Bearer KEY</c>; the name is what the logs show. No key
    /// configured: the listener is not opened at all (decision 98).
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = [];

    /// <summary>Serve <c>/metrics</c> (Prometheus) on this listener; no key needed, as for a scrape on a private port.</summary>
    public bool Metrics { get; set; }

    /// <summary>
    /// Serve the Orleans dashboard at <c>/dashboard</c> on the admin port, to a browser presenting an API key as the
    /// password of HTTP Basic (decision 128). Only with API keys configured; the silos must run with
    /// <c>Admin:Dashboard</c> too, since they collect what it shows.
    /// </summary>
    public bool Dashboard { get; set; }

    /// <summary>Whether the dashboard is served: asked for, and there is a key to protect it with.</summary>
    public bool ServesDashboard => Dashboard && IsEnabled;

    /// <summary>The API is on: at least one key is configured.</summary>
    public bool IsEnabled => ApiKeys.Values.Any(k => !string.IsNullOrEmpty(k));

    /// <summary>The listener opens for the API, the metrics, or both.</summary>
    public bool IsListening => IsEnabled || Metrics;
}
