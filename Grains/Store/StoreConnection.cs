using System.Diagnostics;
using ImActors.Grains.Interfaces.Messages;
using StackExchange.Redis;

namespace ImActors.Grains.Store;

/// <summary>
/// The grains' one way to the message store. Every call returns only after the store has committed what it
/// answered (<see cref="IStoreCommit"/>), reads included: a page of history or a first ACK read back for a
/// retry must not show a write that a crash could still take back. Transient failures become
/// <see cref="StoreUnavailableException"/>. Scripts go through <see cref="IStoreScripts"/>: the embedded store runs
/// them in the calling thread and starts its commits only between them (decisions 79, 84).
/// </summary>
public sealed class StoreConnection(IConnectionMultiplexer redis, IStoreCommit commit, IStoreScripts scripts)
{
    /// <summary>Scripts over <paramref name="redis"/> itself: a store reached over the network.</summary>
    public StoreConnection(IConnectionMultiplexer redis, IStoreCommit commit)
        : this(redis, commit, new ConnectionScripts(redis))
    {
    }

    public Task<T> Run<T>(Func<IDatabase, Task<T>> command) => Run(command, waitForCommit: true);

    private async Task<T> Run<T>(Func<IDatabase, Task<T>> command, bool waitForCommit)
    {
        T result;
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            result = await command(redis.GetDatabase());
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException
                                      || (e is RedisServerException s && IsTransient(s)))
        {
            // A timeout may hide a write that did land: that is why every send carries a client message id.
            StoreMetrics.CallUnavailable();
            throw new StoreUnavailableException("message store unavailable: " + e.Message);
        }

        if (waitForCommit)
        {
            await commit.WaitAsync();
        }

        StoreMetrics.Call(startedAt);
        return result;
    }

    /// <summary>A round trip to the store that also waits for its next commit: the health probe's "answers and commits".</summary>
    public Task<TimeSpan> PingAsync() => Run(db => db.PingAsync());

    public Task<RedisResult> Eval(string script, RedisKey[] keys, RedisValue[] args) =>
        Run(_ => scripts.Evaluate(script, keys, args));

    /// <summary>
    /// A script whose answer is used before the store commits it: only as input to a further call through this
    /// connection that is waited on (<see cref="Eval"/>), since the store commits in order and that wait covers both.
    /// Nothing may be shown to a client on this answer alone.
    /// </summary>
    public Task<RedisResult> EvalUncommitted(string script, RedisKey[] keys, RedisValue[] args) =>
        Run(_ => scripts.Evaluate(script, keys, args), waitForCommit: false);

    /// <summary>
    /// Refusals that leave nothing written and pass with time: the store loading, busy or failing over, or refusing
    /// writes while it lacks the replicas it was told to need (NOREPLICAS), after a failed snapshot (MISCONF) or at its
    /// memory limit (OOM). A script's first write fails with the same code, before anything was written.
    /// </summary>
    private static bool IsTransient(RedisServerException e) => TransientCodes.Any(code => e.Message.StartsWith(code, StringComparison.Ordinal));

    private static readonly string[] TransientCodes = ["LOADING", "BUSY", "TRYAGAIN", "READONLY", "NOREPLICAS", "MISCONF", "OOM", "MASTERDOWN", "CLUSTERDOWN"];
}
