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
    /// Embedded store: ACK a send (and show any stored data to a client) only after the store's append-only file
    /// holds it on disk, through a group commit shared by every grain of the silo (decision 73). On by default.
    /// Off only to measure what the wait costs: a killed process then loses the last milliseconds of ACKed
    /// messages and hands their seqs to later ones.
    /// </summary>
    public bool CommitWait { get; set; } = true;

    /// <summary>
    /// Embedded store: after each group commit (with <see cref="CommitWait"/>), fdatasync the append-only file before the
    /// ACKs, and at the end of each checkpoint flush its files before the segments it replaces are deleted, so that ACKs
    /// survive a power cut and not only a killed process (decision 136). The store writes its files with O_DIRECT but
    /// never flushes the disk's cache. Off only to measure what the flushes cost.
    /// </summary>
    public bool SyncOnCommit { get; set; } = true;

    /// <summary>
    /// Least time between two group commits of the embedded store, in milliseconds. An idle store commits a
    /// send at once; a busy one commits every send of the last interval together (a commit cost about 100 µs
    /// of CPU here, so one per send would cost more than the send). 2 rather than 1: decision 77.
    /// </summary>
    public double CommitIntervalMs { get; set; } = 2;

    /// <summary>How long a send waits for its commit before it fails with a retryable error instead of an ACK.</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the embedded store's append-only file is committed when nobody asks, in milliseconds. Sends do not
    /// wait for this (they ask for their own group commit); it bounds how long the writes that nobody waits for
    /// (Orleans' membership and grain state) stay in memory only. With <see cref="CommitWait"/> the group commit
    /// does it, so that no commit lands inside a script (decision 79), and only when the store wrote something since its
    /// last commit (decision 137); without, the store's own timer does.
    /// </summary>
    public int AofCommitMs { get; set; } = 10;

    /// <summary>
    /// Seconds between checkpoints of the embedded store. A checkpoint lets the store truncate its append-only
    /// file, so a restart replays what came after the last checkpoint instead of all history. 0 turns it off.
    /// Each checkpoint writes the store's index (16 MB) and what changed in memory, so it is not free.
    /// </summary>
    public int CheckpointSeconds { get; set; } = 300;

    /// <summary>
    /// A checkpoint is also taken as soon as the append-only file grows past this (rounded down to a power of
    /// two), so that a burst of writes cannot make the next restart slow either.
    /// </summary>
    public string AofSizeLimit { get; set; } = "64m";

    /// <summary>
    /// Memory of the embedded store's log (its hot data). Data beyond it lives on disk and is read back when
    /// used, which costs a disk read and a rewrite per touched inbox: size it to the working set.
    /// </summary>
    public string Memory { get; set; } = "512m";

    /// <summary>Size of one file of the embedded store's log on disk, when compaction is on.</summary>
    public string LogSegmentSize { get; set; } = "64m";

    /// <summary>
    /// Seconds between compactions of the embedded store's log on disk; 0 (the default) never compacts. Without it
    /// the log on disk keeps old versions of values evicted from <see cref="Memory"/>, so it grows once the data
    /// outgrows memory. Off until a kill drill has proven it: one restart after a SIGKILL with compaction on
    /// (8 MB segments, every 3 s) logged a recovery error ("Unsupported object type id") from the store.
    /// </summary>
    public int CompactionSeconds { get; set; }

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Redis);

    /// <summary>
    /// The store's connection string. The embedded store's carries its password, read from (or, on first start, made
    /// into) <see cref="DataDir"/> (decision 108): read a few times at start only.
    /// </summary>
    public string ConnectionString =>
        IsEmbedded ? $"127.0.0.1:{EmbeddedPort},password={StorePassword.ReadOrCreate(DataDir)}" : Redis!;
}
