using System.Globalization;
using Garnet;
using Garnet.common;
using Garnet.server;
using Garnet.server.Auth.Settings;
using ImActors.Grains.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tsavorite.core;

namespace ImActors.Silo.Store;

/// <summary>
/// The single-node store: Garnet (Redis-compatible, in-process) on a loopback port, so Orleans' Redis
/// clustering, Redis grain storage and the inbox log run unchanged on a laptop with nothing installed.
/// Registered before Orleans so it starts first and stops last.
/// </summary>
public sealed class EmbeddedGarnet(IOptions<StoreSettings> settings, ILoggerFactory loggers, ILogger<EmbeddedGarnet> logger) : IHostedService, IDisposable
{
    private Server? _server;
    private AofFileSync? _aofSync;

    // Where the append-only file ended when the last commit began; null before the first. Only the group commit's
    // thread reads and writes it.
    private AofAddress? _tailAtLastCommit;

    /// <summary>Sessions that run the grains' scripts in the calling thread (decision 84); set once started.</summary>
    public InProcessSessions Sessions { get; private set; } = null!;

    /// <summary>The flush of a checkpoint's files at its end (decision 136); null with <c>Store:SyncOnCommit=false</c>.</summary>
    public CheckpointFileSync? CheckpointSync { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var dir = Path.GetFullPath(s.DataDir);
        var args = new List<string>
        {
            "--bind", "127.0.0.1", "--port", s.EmbeddedPort.ToString(CultureInfo.InvariantCulture),
            // Orleans' Redis providers and our append script use EVAL; the transaction mode makes a script
            // atomic (keys locked for its duration) as it is on Redis.
            "--lua", "--lua-transaction-mode",
            // The default native device needs a newer glibc than Debian 12 has and kills the process.
            "--device-type", "RandomAccess",
            // Without tiering, data beyond --memory is silently evicted.
            "--storage-tier", "--logdir", Path.Combine(dir, "log"),
            "--aof", "--recover", "--checkpointdir", Path.Combine(dir, "checkpoints"),
            "--memory", s.Memory, "--page", "1m", "--index", "16m",
            "--aof-memory", "16m", "--aof-page-size", "4m",
            // Truncation after a checkpoint frees whole segments only: small ones keep the disk bounded.
            "--aof-segment-size", "16m",
            // Sends wait for a commit they ask for themselves (CommitBetweenScripts); Garnet's own --aof-commit-wait
            // blocks a network thread per reply and is not used (decision 73). Its commit timer would land inside
            // scripts, so with commit-wait every commit comes from the group commit, between scripts (-1: none of
            // its own; decision 79).
            "--aof-commit-freq", (s.CommitWait ? -1 : s.AofCommitMs).ToString(CultureInfo.InvariantCulture),
        };
        if (s.CheckpointSeconds > 0)
        {
            // A checkpoint truncates the append-only file: recovery replays what came after it, not all history.
            args.AddRange(["--checkpoint-freq", s.CheckpointSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (s.CompactionSeconds > 0)
        {
            // The hybrid log keeps every old version of a rewritten value and every deleted (trimmed) entry on disk:
            // compaction past a few segments copies what is live and drops the rest.
            args.AddRange([
                "--segment", s.LogSegmentSize, "--object-log-segment", s.LogSegmentSize,
                "--compaction-type", "Lookup", "--compaction-freq", s.CompactionSeconds.ToString(CultureInfo.InvariantCulture),
                "--compaction-max-segments", "4",
            ]);
        }

        if (!string.IsNullOrWhiteSpace(s.AofSizeLimit))
        {
            args.AddRange(["--aof-size-limit", s.AofSizeLimit, "--aof-size-limit-enforce-frequency", "5"]);
        }

        // Our logger factory: Garnet's own console banner and logs would bypass the host's log settings.
        // Given here rather than as an argument: the store refuses every command of a connection until it sends AUTH
        // with it (decision 108), and the node's own connections carry it (StoreSettings.ConnectionString).
        var password = StorePassword.ReadOrCreate(dir);
        _server = new Server(args.ToArray(), loggers, new PasswordAuthenticationSettings(password));
        _server.Start();
        Sessions = new InProcessSessions(_server.Wrapper, password);
        if (s.SyncOnCommit)
        {
            _aofSync = new AofFileSync(Path.Combine(dir, "checkpoints", "AOF"));
            // Registered before anything connects: the store allows it only while no operation runs.
            CheckpointSync = new CheckpointFileSync(dir);
            _server.Wrapper.DefaultDatabase.StateMachineDriver.UnsafeRegisterCallback(CheckpointSync);
        }

        logger.LogInformation("Embedded store (Garnet) on 127.0.0.1:{Port}, data in {DataDir}", s.EmbeddedPort, dir);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Commits the append-only file up to its current tail and completes once the store's writes have left the process
    /// (not flushed to stable storage: decision 136). A commit started this way can land inside a script running on
    /// some connection (decision 79); the sends use <see cref="CommitBetweenScripts"/>.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var server = _server ?? throw new InvalidOperationException("the embedded store is not running");
        if (!await server.Store.CommitAOFAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the embedded store refused to commit its append-only file");
        }
    }

    /// <summary>
    /// A commit that starts between the scripts run through <see cref="Sessions"/>, none of which is half done when
    /// its commit record is written (decision 79); completes once it is on stable storage (with
    /// <see cref="StoreSettings.SyncOnCommit"/>, decision 136). The store fixes what a commit
    /// covers in the synchronous part of the call (fast-commit mode appends the commit record there).
    /// </summary>
    public Task CommitBetweenScripts()
    {
        var server = _server ?? throw new InvalidOperationException("the embedded store is not running");
        // Read before the commit: a write after this read is covered by the commit or seen by the next check.
        _tailAtLastCommit = server.Wrapper.TailAddress;
        var started = Sessions.BetweenCommands(() => server.Store.CommitAOFAsync(CancellationToken.None).AsTask());
        return OnDiskAsync(started, _aofSync);

        static async Task OnDiskAsync(Task<bool> started, AofFileSync? sync)
        {
            if (!await started.ConfigureAwait(false))
            {
                throw new InvalidOperationException("the embedded store refused to commit its append-only file");
            }

            // Out of the process is not yet on stable storage: the store never flushes the disk's cache itself.
            sync?.Sync();
        }
    }

    /// <summary>
    /// The group commit a silo puts in front of this store: the sends' commits start between scripts (decisions 73, 79),
    /// and every <see cref="StoreSettings.AofCommitMs"/> a round nobody asked for commits the other writes (Orleans'
    /// membership and grain state), if there were any (decision 137). <paramref name="onCommit"/> sees each commit.
    /// </summary>
    public GroupCommit NewGroupCommit(Action? onCommit = null)
    {
        var s = settings.Value;
        return new GroupCommit(
            _ =>
            {
                onCommit?.Invoke();
                return CommitBetweenScripts();
            },
            s.CommitTimeout, TimeSpan.FromMilliseconds(s.CommitIntervalMs), backgroundInterval: TimeSpan.FromMilliseconds(s.AofCommitMs),
            anythingToCommit: HasWritesSinceLastCommit);
    }

    /// <summary>
    /// False when the append-only file has not grown since the last <see cref="CommitBetweenScripts"/> began: a commit
    /// would find nothing to make durable, and once the store has stopped. Called from the group commit's thread only.
    /// </summary>
    public bool HasWritesSinceLastCommit() =>
        _server is { } server && (_tailAtLastCommit is not { } last || !server.Wrapper.TailAddress.EqualsAll(last));

    /// <summary>Garnet's server with its store, which in-process sessions are opened on.</summary>
    private sealed class Server(string[] args, ILoggerFactory loggers, IAuthenticationSettings auth)
        : GarnetServer(args, loggers, cleanupDir: false, authenticationSettingsOverride: auth)
    {
        public StoreWrapper Wrapper => storeWrapper;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Sessions?.Dispose();
        _aofSync?.Dispose();
        _server?.Dispose();
        _server = null;
    }
}
