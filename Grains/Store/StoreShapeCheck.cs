using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Store;

/// <summary>
/// Refuses to start a silo whose store is a Redis Cluster while <c>Store:Sharded</c> is false: every 1:1 send and every
/// event would then be a script over keys of two slots, which the cluster refuses (CROSSSLOT), so the silo would run
/// and fail each message. Failing at start names the setting instead (decision 119). A hosted service rather than
/// options validation, which would run before the embedded store has started. A store not reachable at start is not
/// judged: the silo starts and retries, as it does on one Redis.
/// </summary>
internal sealed class StoreShapeCheck(IConnectionMultiplexer redis, IOptions<StoreShapeOptions> shape) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Problem(shape.Value, redis) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What is wrong with running these settings on this store; null when nothing is.</summary>
    public static string? Problem(StoreShapeOptions options, IConnectionMultiplexer redis)
    {
        if (options.Sharded)
        {
            return null;
        }

        var cluster = redis.GetServers().FirstOrDefault(s => s.IsConnected && s.ServerType == ServerType.Cluster);
        return cluster is null
            ? null
            : $"Store:Redis is a Redis Cluster ({cluster.EndPoint} runs in cluster mode): set {StoreShapeOptions.Section}:Sharded=true, " +
              "so that every store step touches one hash slot";
    }
}
