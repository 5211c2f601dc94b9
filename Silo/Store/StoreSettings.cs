namespace ImActors.Silo.Store;

/// <summary>Where the store is. Bound from the "Store" section (env: Store__Redis, Store__DataDir, ...).</summary>
public sealed class StoreSettings
{
    public const string Section = "Store";

    /// <summary>A StackExchange.Redis connection string. Empty: start the embedded Garnet and use it.</summary>
    public string? Redis { get; set; }

    /// <summary>Loopback port of the embedded store.</summary>
    public int EmbeddedPort { get; set; } = 6380;

    /// <summary>Directory of the embedded store's log and checkpoints.</summary>
    public string DataDir { get; set; } = "data/store";

    /// <summary>
    /// Make the embedded store answer a write only after its append-only file is committed to disk.
    /// Off by default: a write is then in the AOF's memory buffer, committed within milliseconds, and a
    /// crash of the process in that window can lose it. Turn on where an ACK must survive a power cut.
    /// </summary>
    public bool CommitWait { get; set; }

    /// <summary>
    /// How often the embedded store commits its append-only file, in milliseconds. 0 commits after every
    /// write: one disk write per message (measured: 1,732-2,067 µs of server CPU per 1:1 message at 400 msg/s
    /// against 902-1,963 µs with 1 ms). With 1 every write of that millisecond goes to disk in one commit.
    /// </summary>
    public int AofCommitMs { get; set; } = 1;

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Redis);

    public string ConnectionString => IsEmbedded ? $"127.0.0.1:{EmbeddedPort}" : Redis!;
}
