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

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Redis);

    public string ConnectionString => IsEmbedded ? $"127.0.0.1:{EmbeddedPort}" : Redis!;
}
