namespace ImActors.Edge.Limits;

/// <summary>
/// How fast one connection and one user may send. Bound from the "Limits" section (env: Limits__MessagesPerSecond, ...).
/// Each is a token bucket: a burst at once, then a steady rate. 0 turns a limit off. A user's limits are counted per
/// edge: a user connected to two edges gets each edge's allowance (decision 100).
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "Limits";

    /// <summary><c>send</c> frames per connection.</summary>
    public double MessagesPerSecond { get; set; } = 20;

    public double MessageBurst { get; set; } = 50;

    /// <summary>Payload bytes of every frame per connection. The burst is at least one frame of the maximum size.</summary>
    public double BytesPerSecond { get; set; } = 256 * 1024;

    public double ByteBurst { get; set; } = 1024 * 1024;

    /// <summary><c>request</c> and <c>sync</c> frames per connection: a reconnect's catch-up syncs each group behind, hence the burst.</summary>
    public double RequestsPerSecond { get; set; } = 20;

    public double RequestBurst { get; set; } = 200;

    /// <summary><c>send</c> frames per user, over all of the user's connections to this edge.</summary>
    public double UserMessagesPerSecond { get; set; } = 50;

    public double UserMessageBurst { get; set; } = 100;

    /// <summary>Payload bytes per user, over all of the user's connections to this edge.</summary>
    public double UserBytesPerSecond { get; set; } = 1024 * 1024;

    public double UserByteBurst { get; set; } = 4 * 1024 * 1024;

    /// <summary>Refusals in a row (no frame let through between them) after which the connection is closed with 429.</summary>
    public int RefusalsBeforeClose { get; set; } = 20;

    /// <summary>
    /// After a user's connection is closed for flooding, how long this edge refuses the user's hellos with 429 (and the
    /// time left as <c>retryAfterMs</c>) before anything reaches the cluster. Zero turns it off.
    /// </summary>
    public TimeSpan CooldownAfterClose { get; set; } = TimeSpan.FromSeconds(10);
}
