using System.Diagnostics;
using System.Net;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Measurement;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;
using ImActors.Protocol;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>reconnect-storm</c>: N clients go offline, U messages arrive for each while they are away, then all N
/// reconnect at once and sync. Reports the time until the last one holds every message, and the server
/// side's peak CPU and memory during the storm. Needs a durable target. With <c>--groups-per-client N</c> each
/// client is also a member of N groups (of <c>--group-size</c> members), so the storm shows what a login costs
/// per group the user is in.
/// </summary>
public sealed class ReconnectStormScenario : Scenario
{
    private int _clients;
    private int _unread;
    private int _size;
    private int _sources;
    private TimeSpan _deadline;
    private int _groupsPerClient;
    private int _groupSize;

    public override string Name => "reconnect-storm";

    public override int DefaultEdges => Math.Max(1, (int)Math.Ceiling(_clients / 15_000.0));

    public override void ReadOptions(BenchArguments args)
    {
        _clients = args.Int("clients", 1000, 1, 19_000);
        _unread = args.Int("unread", 10, 1, 10_000);
        _size = args.Int("size", 100, MessageStamp.MinSize, 60_000);
        _sources = args.Int("sources", 1, 1, 250);
        _deadline = TimeSpan.FromSeconds(args.Double("deadline", 120, 1, 3600));
        _groupsPerClient = args.Int("groups-per-client", 0, 0, 1000);
        _groupSize = args.Int("group-size", 50, 2, 1000);
    }

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget { Durable: true } imactors)
        {
            throw new BenchUsageException($"reconnect-storm needs a durable target (imactors); {target.Name} keeps nothing for offline clients");
        }

        var sources = Enumerable.Range(0, _sources).Select(SourceAddressSocket.Loopback).ToList();
        var users = RunIds.Users("s", _clients);
        var counters = new LoadCounters();

        // 1. Everyone is known to the server once (grains active, as after a normal day), then drops.
        var seqs = new long[_clients];
        await Parallel.ForEachAsync(Enumerable.Range(0, _clients), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            await using var connection = await imactors.ConnectProtocolAsync(users[i], i, sources[i % sources.Count], counters, ct);
            seqs[i] = connection.WelcomeInboxSeq;
        });

        // 2. Unread messages pile up, sent in windows so the ACKs pace the sender.
        await using (var sender = await imactors.ConnectProtocolAsync($"{RunIds.Prefix}-sender", 0, null, counters, cancellationToken))
        {
            var groups = await CreateGroupsAsync(sender, users, cancellationToken);
            report.Add("groups", groups);
            report.Add("groups_per_client", _groupsPerClient);
            counters.Reset();
            var total = (long)_clients * _unread;
            const int window = 2000;
            for (long k = 0; k < total; k++)
            {
                while (k - counters.Acked - counters.Errors >= window)
                {
                    await Task.Delay(1, cancellationToken);
                }

                sender.SendDirect(users[(int)(k % _clients)], MessageStamp.Create(_size, Stopwatch.GetTimestamp(), measured: false));
            }

            var deadline = Stopwatch.StartNew();
            while (counters.Acked + counters.Errors < total && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10, cancellationToken);
            }

            if (counters.Errors > 0 || counters.Acked < total)
            {
                throw new IOException($"storing the unread messages failed: {counters.Acked} of {total} ACKed; {counters.FirstError}");
            }
        }

        // 3. The storm: every client at once, each syncing from where it was.
        var syncTimes = new double[_clients];
        var synced = new long[_clients];
        var failed = 0;
        var retries = 0;
        string? firstError = null;
        var connections = new ProtocolConnection?[_clients];
        await using (var peaks = servers.Processes.StartPeakSampler(TimeSpan.FromMilliseconds(250)))
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, _clients).Select(i => Task.Run(async () =>
            {
                // Like the SDK: a refused-but-retryable hello (the server is overloaded) or a failed connect is
                // retried after a jittered, doubling backoff (200 ms up to 5 s), within the storm deadline.
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        var connection = await imactors.ConnectProtocolAsync(users[i], i, sources[i % sources.Count], counters, cancellationToken);
                        connections[i] = connection;
                        synced[i] = await connection.SyncAsync(seqs[i], ProtocolDefaults.MaxSyncPageSize);
                        syncTimes[i] = watch.Elapsed.TotalMilliseconds;
                        return;
                    }
                    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                    {
                        firstError ??= e.Message;
                        if (connections[i] is { } broken)
                        {
                            connections[i] = null;
                            await broken.DisposeAsync();
                        }

                        if (e is HelloRefusedException { Retryable: false } || watch.Elapsed > _deadline)
                        {
                            Interlocked.Increment(ref failed);
                            return;
                        }

                        Interlocked.Increment(ref retries);
                        var ceiling = Math.Min(5000, 200 * (1 << Math.Min(attempt, 5)));
                        await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.NextDouble() * ceiling), cancellationToken);
                    }
                }
            }, cancellationToken)));
            var allSynced = watch.Elapsed;

            var complete = synced.Count(s => s >= _unread);
            var sorted = syncTimes.Where((_, i) => synced[i] >= _unread).Order().ToArray();
            report.Add("clients", _clients);
            report.Add("unread_per_client", _unread);
            report.Add("edges", servers.Endpoints.Count);
            report.Add("seconds_until_all_synced", Math.Round(allSynced.TotalSeconds, 3), "s");
            report.Add("clients_fully_synced", complete);
            report.Add("failed", failed + (_clients - failed - complete));
            report.Add("reconnect_retries", retries);
            report.Add("first_error", firstError);
            report.Add("messages_synced", synced.Sum());
            report.Add("sync_p50_ms", sorted.Length == 0 ? null : Math.Round(sorted[sorted.Length / 2], 1), "ms");
            report.Add("sync_p99_ms", sorted.Length == 0 ? null : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], 1), "ms");
            report.Add("peak_server_cores", Math.Round(peaks.PeakCores, 2), "cores");
            report.Add("peak_server_rss_mib", Math.Round(peaks.PeakRssBytes / 1048576.0, 1), "MiB");
        }

        await Parallel.ForEachAsync(connections.OfType<ProtocolConnection>(), (c, _) => c.DisposeAsync());
    }

    /// <summary>
    /// Layer j of the groups holds every client once, in groups of <c>--group-size</c>; each layer rotates the
    /// clients differently, so a client's N groups are N distinct groups with different members. The sender
    /// creates them all (and is their owner); the clients are offline meanwhile, as after a day of use.
    /// </summary>
    private async Task<int> CreateGroupsAsync(ProtocolConnection creator, IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var created = 0;
        var perLayer = (users.Count + _groupSize - 1) / _groupSize;
        var requests = new List<(string Group, string[] Members)>();
        for (var layer = 0; layer < _groupsPerClient; layer++)
        {
            var rotation = layer * 7919 % users.Count;
            for (var g = 0; g < perLayer; g++)
            {
                var members = Enumerable.Range(g * _groupSize, Math.Min(_groupSize, users.Count - g * _groupSize))
                    .Select(i => users[(i + rotation) % users.Count]).ToArray();
                requests.Add(($"{RunIds.Prefix}-g{layer}-{g}", members));
            }
        }

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (r, ct) =>
        {
            await creator.JoinGroupAsync(r.Group, r.Members, creator: true, ct);
            Interlocked.Increment(ref created);
        });
        return created;
    }
}
