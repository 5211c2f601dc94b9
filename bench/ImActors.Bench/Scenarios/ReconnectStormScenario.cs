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
public sealed class ReconnectStormScenario(ReconnectStormOptions options) : Scenario
{
    public override string Name => "reconnect-storm";

    public override int DefaultEdges => Math.Max(1, (int)Math.Ceiling(options.Clients / 15_000.0));

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget { Durable: true } imactors)
        {
            throw new BenchUsageException($"reconnect-storm needs a durable target (imactors); {target.Name} keeps nothing for offline clients");
        }

        var sources = Enumerable.Range(0, options.Sources).Select(SourceAddressSocket.Loopback).ToList();
        var users = RunIds.Users("s", options.Clients);
        var counters = new LoadCounters();

        // 1. Everyone is known to the server once (grains active, as after a normal day), then drops.
        var seqs = new long[options.Clients];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Clients), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            await using var connection = await imactors.ConnectProtocolAsync(users[i], i, sources[i % sources.Count], counters, ct);
            seqs[i] = connection.WelcomeInboxSeq;
        });

        // 2. Unread messages pile up, sent in windows so the ACKs pace the sender.
        await using (var sender = await imactors.ConnectProtocolAsync($"{RunIds.Prefix}-sender", 0, null, counters, cancellationToken))
        {
            var groups = await CreateGroupsAsync(sender, users, cancellationToken);
            report.Add("groups", groups);
            report.Add("groups_per_client", options.GroupsPerClient);
            counters.Reset();
            var total = (long)options.Clients * options.Unread;
            const int window = 2000;
            for (long k = 0; k < total; k++)
            {
                while (k - counters.Acked - counters.Errors >= window)
                {
                    await Task.Delay(1, cancellationToken);
                }

                sender.SendDirect(users[(int)(k % options.Clients)], MessageStamp.Create(options.Size, Stopwatch.GetTimestamp(), measured: false));
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
        var syncTimes = new double[options.Clients];
        var synced = new long[options.Clients];
        var failed = 0;
        var retries = 0;
        string? firstError = null;
        var connections = new ProtocolConnection?[options.Clients];
        await using (var peaks = servers.Processes.StartPeakSampler(TimeSpan.FromMilliseconds(250)))
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(i => Task.Run(async () =>
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

                        if (e is HelloRefusedException { Retryable: false } || watch.Elapsed > options.Deadline)
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

            var complete = synced.Count(s => s >= options.Unread);
            var sorted = syncTimes.Where((_, i) => synced[i] >= options.Unread).Order().ToArray();
            report.Add("clients", options.Clients);
            report.Add("unread_per_client", options.Unread);
            report.Add("edges", servers.Endpoints.Count);
            report.Add("seconds_until_all_synced", Math.Round(allSynced.TotalSeconds, 3), "s");
            report.Add("clients_fully_synced", complete);
            report.Add("failed", failed + (options.Clients - failed - complete));
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
        var perLayer = (users.Count + options.GroupSize - 1) / options.GroupSize;
        var requests = new List<(string Group, string[] Members)>();
        for (var layer = 0; layer < options.GroupsPerClient; layer++)
        {
            var rotation = layer * 7919 % users.Count;
            for (var g = 0; g < perLayer; g++)
            {
                var members = Enumerable.Range(g * options.GroupSize, Math.Min(options.GroupSize, users.Count - g * options.GroupSize))
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
