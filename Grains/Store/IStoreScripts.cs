using StackExchange.Redis;

namespace ImActors.Grains.Store;

/// <summary>
/// Runs the grains' Lua scripts on the message store. A store reached over the network runs them through the
/// client (<see cref="ConnectionScripts"/>); the embedded store runs them in the calling thread (decision 84).
/// </summary>
public interface IStoreScripts
{
    /// <summary>The script's reply; a script error is a <see cref="RedisServerException"/>, as the client reports it.</summary>
    Task<RedisResult> Evaluate(string script, RedisKey[] keys, RedisValue[] args);
}

/// <summary>Scripts sent over the grains' StackExchange.Redis connection (cached by hash, loaded on first use).</summary>
public sealed class ConnectionScripts(IConnectionMultiplexer redis) : IStoreScripts
{
    public Task<RedisResult> Evaluate(string script, RedisKey[] keys, RedisValue[] args) =>
        redis.GetDatabase().ScriptEvaluateAsync(script, keys, args);
}
