using ImActors.Grains.Interfaces.Messages;
using StackExchange.Redis;

namespace ImActors.Grains.Store;

/// <summary>One place that turns the store's transient failures into <see cref="StoreUnavailableException"/>.</summary>
internal static class StoreCalls
{
    public static async Task<T> Run<T>(this IConnectionMultiplexer redis, Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command(redis.GetDatabase());
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
                                      || (e is RedisServerException s && IsTransient(s)))
        {
            // A timeout may hide a write that did land: that is why every send carries a client message id.
            throw new StoreUnavailableException("message store unavailable: " + e.Message);
        }
    }

    public static Task<RedisResult> Eval(this IConnectionMultiplexer redis, string script, RedisKey[] keys, RedisValue[] args) =>
        redis.Run(db => db.ScriptEvaluateAsync(script, keys, args));

    private static bool IsTransient(RedisServerException e) =>
        e.Message.StartsWith("LOADING", StringComparison.Ordinal)
        || e.Message.StartsWith("BUSY", StringComparison.Ordinal)
        || e.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || e.Message.StartsWith("READONLY", StringComparison.Ordinal);
}
