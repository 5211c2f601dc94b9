using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ImActors.Silo.Store;

/// <summary>
/// On Redis an ACK is only as durable as Redis's append-only file: with <c>appendfsync always</c> Redis sends no
/// reply before the fsync of the writes it answers; with <c>everysec</c> a killed Redis loses up to a second (or
/// more on a loaded disk) of ACKed messages. Says so loudly at startup rather than failing: managed Redis
/// services often refuse CONFIG, and their durability is configured elsewhere. Never stops the silo.
/// </summary>
internal sealed class RedisDurabilityCheck(string connectionString, ILogger<RedisDurabilityCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // CONFIG is an admin command: a connection of its own, so the silo's store connection stays non-admin.
            var options = ConfigurationOptions.Parse(connectionString);
            options.AllowAdmin = true;
            options.AbortOnConnectFail = false;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            var server = redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is null)
            {
                logger.LogWarning("Could not check the store's durability settings: no primary reachable at startup");
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
        catch (Exception e)
        {
            logger.LogInformation("Could not check the store's durability settings ({Reason}); make sure it runs with appendfsync always", e.Message);
        }
    }
}
