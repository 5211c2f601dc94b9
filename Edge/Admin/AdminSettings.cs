namespace ImActors.Edge.Admin;

/// <summary>The HTTP API for business services, bound from the "Admin" section (env: Admin__ApiKeys__billing=...).</summary>
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

    public bool IsEnabled => ApiKeys.Values.Any(k => !string.IsNullOrEmpty(k));
}
