using System.Diagnostics;
using System.Net;
using ImActors.Bench.Load;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>Opens many connections with a bounded number of handshakes in flight, and keeps them alive.</summary>
public sealed class ConnectionSet : IAsyncDisposable
{
    private readonly List<IBenchConnection> _connections;
    private readonly Timer _keepalive;

    private ConnectionSet(List<IBenchConnection> connections, TimeSpan elapsed, int failed, string? firstError)
    {
        _connections = connections;
        Elapsed = elapsed;
        Failed = failed;
        FirstError = firstError;
        // The ImActors edge closes a connection silent for three 30 s heartbeats (recipients never send);
        // ping as often as the SDK does (once per heartbeat interval), so idle CPU compares fairly.
        _keepalive = new Timer(_ => Heartbeat(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
    }

    public IReadOnlyList<IBenchConnection> Connections => _connections;

    public TimeSpan Elapsed { get; }

    public int Failed { get; }

    public string? FirstError { get; }

    /// <summary>Hellos refused as retryable (server overloaded) and tried again.</summary>
    public int Retries { get; private init; }

    /// <summary>
    /// Connects users[i] to server i (round robin over edges) from the i-th of <paramref name="sources"/>
    /// (null: the OS picks the source). Failures are counted, not thrown, unless <paramref name="requireAll"/>.
    /// </summary>
    public static async Task<ConnectionSet> OpenAsync(
        IBenchTarget target, IReadOnlyList<string> users, IReadOnlyList<IPAddress>? sources, LoadCounters counters,
        int concurrency, bool requireAll, CancellationToken cancellationToken)
    {
        var results = new IBenchConnection?[users.Count];
        var failed = 0;
        var retries = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, users.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var source = sources is { Count: > 0 } ? sources[i % sources.Count] : null;
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        results[i] = await target.ConnectAsync(users[i], i, source, counters, ct);
                        return;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        firstError ??= $"{users[i]}: {e.GetBaseException().Message}";
                        // An overloaded server refuses a hello with a retryable 503 or does not answer it; a
                        // client reconnects after a jittered backoff, as the SDK does. Anything else, or a
                        // fifth attempt, fails.
                        if (e is not (HelloRefusedException { Retryable: true } or HandshakeTimeoutException) || attempt == 4)
                        {
                            Interlocked.Increment(ref failed);
                            return;
                        }

                        Interlocked.Increment(ref retries);
                        await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.NextDouble() * 200 * (1 << attempt)), ct);
                    }
                }
            });
        var set = new ConnectionSet(results.OfType<IBenchConnection>().ToList(), watch.Elapsed, failed, firstError) { Retries = retries };
        if (requireAll && failed > 0)
        {
            await set.DisposeAsync();
            throw new IOException($"{failed} of {users.Count} connections failed; first: {firstError}");
        }

        return set;
    }

    public void Heartbeat()
    {
        foreach (var connection in _connections)
        {
            connection.Heartbeat();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _keepalive.DisposeAsync();
        await Parallel.ForEachAsync(_connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, (c, _) => c.DisposeAsync());
    }
}
