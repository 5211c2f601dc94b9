namespace ImActors.Edge.Admission;

/// <summary>
/// Who may hold a connection, and for how long without proving itself. Bound from the "Admission" section
/// (env: Admission__HelloTimeout, ...). Loopback is not exempt: tools that open thousands of connections from one
/// address raise the per-address limits (decision 100).
/// </summary>
public sealed class AdmissionSettings
{
    public const string Section = "Admission";

    /// <summary>A connection that has not been welcomed by then is closed with 411: an idle socket holds a slot for no one.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A frame whose first bytes arrived must be complete by then, or the connection is closed with 412 (a byte-a-second sender).</summary>
    public TimeSpan FrameTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the deadlines above (and token expiry) are checked; a deadline is late by at most this much.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Open connections from one address (TCP and WebSocket together); 0 for no limit.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 500;

    /// <summary>New connections per second from one address, after a burst of <see cref="ConnectBurstPerAddress"/>; 0 for no limit.</summary>
    public int ConnectsPerSecondPerAddress { get; set; } = 20;

    public int ConnectBurstPerAddress { get; set; } = 100;
}
