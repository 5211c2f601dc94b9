namespace ImActors.Protocol;

/// <summary>Numbers both ends agree on unless configured otherwise.</summary>
public static class ProtocolDefaults
{
    /// <summary>Versions this build speaks, oldest first.</summary>
    public static readonly int[] SupportedVersions = [1];

    public const int CurrentVersion = 1;

    /// <summary>
    /// Largest frame payload accepted, in bytes (the 4-byte length prefix not counted). It must hold the largest frame
    /// the other documented limits allow: a group change naming 1000 members of 64 characters is about 66 KB, so
    /// 64 KiB refused a valid request (decision 102).
    /// </summary>
    public const int MaxFrameBytes = 96 * 1024;

    public const int SyncPageSize = 100;

    public const int MaxSyncPageSize = 500;

    public const int TcpPort = 7400;

    public const int HttpPort = 7401;

    public const string WebSocketPath = "/ws";

    /// <summary>
    /// HMAC secret the edge uses when none is configured, so a laptop node and `imctl token` agree out of
    /// the box. Public by design: any deployment must configure its own (Auth:Secret).
    /// </summary>
    public const string DevelopmentTokenSecret = "imactors-development-secret-do-not-use-in-production";
}
