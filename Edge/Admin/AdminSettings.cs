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

    /// <summary>The API is on: at least one key is configured.</summary>
    public bool IsEnabled => ApiKeys.Values.Any(k => !string.IsNullOrEmpty(k));

    /// <summary>The listener opens for the API, the metrics, or both.</summary>
    public bool IsListening => IsEnabled || Metrics;
}
