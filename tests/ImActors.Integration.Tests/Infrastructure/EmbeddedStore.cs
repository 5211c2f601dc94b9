using ImActors.Grains.Store;
using ImActors.Silo.Store;
using StackExchange.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>The silo's embedded Garnet, started exactly as the silo starts it, on a free port and a temp directory.</summary>
public sealed class EmbeddedStore : IAsyncDisposable
{
    private readonly StoreSettings _settings;
    private EmbeddedGarnet? _garnet;

    public EmbeddedStore(string? dataDir = null)
    {
        _settings = new StoreSettings
        {
            EmbeddedPort = FreePorts.Next(),
            DataDir = dataDir ?? Directory.CreateTempSubdirectory("imactors-garnet-").FullName,
        };
    }

    public string DataDir => _settings.DataDir;

    /// <summary>The flush of a checkpoint's files at its end (decision 136).</summary>
    public CheckpointFileSync? CheckpointSync => _garnet?.CheckpointSync;

    public string ConnectionString => _settings.ConnectionString;

    public int Port => _settings.EmbeddedPort;

    /// <summary>
    /// The group commit a silo puts in front of this store, starting its commits between the scripts run through
    /// <see cref="Scripts"/>; <paramref name="onCommit"/> sees each commit.
    /// </summary>
    public IStoreCommit Commit(Action? onCommit = null) => new GroupCommit(
        _ =>
        {
            onCommit?.Invoke();
            return _garnet!.CommitBetweenScripts();
        },
        _settings.CommitTimeout, TimeSpan.FromMilliseconds(_settings.CommitIntervalMs));

    /// <summary>
    /// The group commit exactly as a silo builds it on this store, with its rounds between sends running;
    /// <paramref name="onCommit"/> sees each commit.
    /// </summary>
    public IStoreCommit SiloCommit(Action onCommit) => _garnet!.NewGroupCommit(onCommit).StartBackground();

    /// <summary>One commit of the append-only file, straight to the store: no group commit, not ordered after any script.</summary>
    public Task CommitNowAsync() => _garnet!.CommitAsync(CancellationToken.None);

    /// <summary>
    /// A copy of the data directory as a SIGKILL would leave it now: files as written so far, of which a restart
    /// recovers what was committed.
    /// </summary>
    public string CopyDataAsIfKilled()
    {
        var copy = Directory.CreateTempSubdirectory("imactors-garnet-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(DataDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var destination = File.Create(target);
            source.CopyTo(destination);
        }

        return copy;
    }

    /// <summary>The grains' scripts as a silo runs them on this store: in the calling thread.</summary>
    public IStoreScripts Scripts => new InProcessScripts(_garnet!);

    /// <summary>A store connection as the grains get it: scripts in-process, every call returns after the commit.</summary>
    public StoreConnection Connect(IConnectionMultiplexer mux, Action? onCommit = null) => new(mux, Commit(onCommit), Scripts);

    public async Task StartAsync()
    {
        _garnet = new EmbeddedGarnet(Options.Create(_settings), NullLoggerFactory.Instance, NullLogger<EmbeddedGarnet>.Instance);
        await _garnet.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_garnet is not null)
        {
            await _garnet.StopAsync(CancellationToken.None);
            _garnet = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
