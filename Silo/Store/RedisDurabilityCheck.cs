using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ImActors.Silo.Store;

/// <summary>
/// On Redis an ACK is only as durable as Redis's append-only file: with <c>appendfsync always</c> Redis sends no
/// reply before the fsync of the writes it answers; with <c>everysec</c> a killed Redis loses up to a second (or
/// more on a loaded disk) of ACKed messages. Says so loudly at startup rather than failing: managed Redis
/// services often refuse CONFIG, and their durability is configured elsewhere.
/// </summary>
internal sealed class RedisDurabilityCheck(IConnectionMultiplexer redis, ILogger<RedisDurabilityCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is null)
            {
                logger.LogWarning("Could not check the store's durability settings: no primary connected yet");
                return;
            }

            var appendOnly = (await server.ConfigGetAsync("appendonly")).FirstOrDefault().Value;
            var fsync = (await server.ConfigGetAsync("appendfsync")).FirstOrDefault().Value;
            if (appendOnly != "yes" || fsync != "always")
            {
                logger.LogWarning(
                    "The store runs with appendonly={AppendOnly} appendfsync={AppendFsync}: ACKed messages can be lost when it crashes. " +
                    "Run Redis with --appendonly yes --appendfsync always for the guarantee ImActors documents",
                    appendOnly, fsync);
            }
        }
        catch (Exception e) when (e is RedisException or RedisServerException)
        {
            logger.LogInformation("Could not check the store's durability settings ({Reason}); make sure it runs with appendfsync always", e.Message);
        }
    }
}
