using Garnet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Silo.Store;

/// <summary>
/// The single-node store: Garnet (Redis-compatible, in-process) on a loopback port, so Orleans' Redis
/// clustering, Redis grain storage and the inbox log run unchanged on a laptop with nothing installed.
/// Registered before Orleans so it starts first and stops last.
/// </summary>
public sealed class EmbeddedGarnet(IOptions<StoreSettings> settings, ILoggerFactory loggers, ILogger<EmbeddedGarnet> logger) : IHostedService, IDisposable
{
    private GarnetServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var dir = Path.GetFullPath(s.DataDir);
        Directory.CreateDirectory(dir);
        var args = new List<string>
        {
            "--bind", "127.0.0.1", "--port", s.EmbeddedPort.ToString(),
            // Orleans' Redis providers and our append script use EVAL; the transaction mode makes a script
            // atomic (keys locked for its duration) as it is on Redis.
            "--lua", "--lua-transaction-mode",
            // The default native device needs a newer glibc than Debian 12 has and kills the process.
            "--device-type", "RandomAccess",
            // Without tiering, data beyond --memory is silently evicted.
            "--storage-tier", "--logdir", Path.Combine(dir, "log"),
            "--aof", "--recover", "--checkpointdir", Path.Combine(dir, "checkpoints"),
            "--memory", "64m", "--page", "1m", "--index", "16m",
            "--aof-memory", "16m", "--aof-page-size", "4m",
            "--aof-commit-freq", s.AofCommitMs.ToString(),
        };
        if (s.CommitWait)
        {
            args.Add("--aof-commit-wait");
        }

        // Our logger factory: Garnet's own console banner and logs would bypass the host's log settings.
        _server = new GarnetServer(args.ToArray(), loggers);
        _server.Start();
        logger.LogInformation("Embedded store (Garnet) on 127.0.0.1:{Port}, data in {DataDir}", s.EmbeddedPort, dir);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
    }
}
