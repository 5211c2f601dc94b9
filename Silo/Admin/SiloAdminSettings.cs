namespace ImActors.Silo.Admin;

/// <summary>
/// A silo process's admin listener, bound from the "Admin" section (env: Admin__Port=7491, Admin__Metrics=true): health
/// always, Prometheus metrics when asked for (decision 131). The same section and names as an edge's listener; a silo
/// has no API and no keys, so everything it serves is read-only and open to whoever reaches the port.
/// </summary>
public sealed class SiloAdminSettings
{
    public const string Section = "Admin";

    /// <summary>Loopback, so only the same machine reaches it unless told otherwise (a container binds its own network).</summary>
    public string ListenIp { get; set; } = "127.0.0.1";

    /// <summary>Its own port: 7490, apart from an edge's 7480 on the same machine. Silos sharing a machine need one each.</summary>
    public int Port { get; set; } = 7490;

    /// <summary>Serve <c>/metrics</c>: Orleans', the store's and the runtime's instruments. Off by default, as on an edge.</summary>
    public bool Metrics { get; set; }
}
