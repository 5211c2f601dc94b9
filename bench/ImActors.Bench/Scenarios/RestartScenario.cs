using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;
using ImActors.Protocol.Frames;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>restart</c>: stores N messages in the single-process node through the real path (edge, grains, store),
/// kills it with SIGKILL, starts it again on the same data directory and ports, and measures how long until the
/// edge welcomes a client and a sync of a filled inbox returns the last message ACKed into it. Then every inbox
/// is checked against what was ACKed into it, and the store's files are reported before the kill and after.
/// </summary>
public sealed partial class RestartScenario(RestartOptions options) : Scenario
{
    private long _fillRetries;
    private string? _fillRefusal;

    public override string Name => "restart";

    // The store logs its recovery (records replayed, seconds) and its checkpoints at Information.
    public override IReadOnlyList<string> ServerSettings =>
        ["Logging:LogLevel:SingleDatabaseManager=Information", "Logging:LogLevel:StoreWrapper=Information"];

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget imactors || servers.StoreDir is not { } storeDir)
        {
            throw new BenchUsageException("restart kills and restarts the single-process node the tool starts: use --target imactors-node or imactors-node-nowait");
        }

        var senders = RunIds.Users("from", options.Senders);
        var inboxes = RunIds.Users("to", options.Inboxes);

        // 1. Fill: every sender pipelines up to --window sends on its connection; message i goes from sender
        //    i mod S to inbox i mod R, so what each inbox must hold is known without keeping every ACK. A send
        //    refused as retryable (503 while the store is slow) is sent again with its cmid, as a client would.
        var fill = Stopwatch.StartNew();
        var lastAcks = await FillAsync(imactors, senders, inboxes, cancellationToken);
        var fillSeconds = fill.Elapsed.TotalSeconds;
        await Task.Delay(options.Settle, cancellationToken);
        var before = StoreFiles.Measure(storeDir);
        var rssBefore = servers.Processes.RssBytes();

        // 2. Kill, start again, and time it until the data is back: a hello welcomed, then a sync returning the
        //    last message the first sender's inbox got an ACK for.
        await servers.KillNodeAsync();
        var watch = Stopwatch.StartNew();
        servers.RestartNode();
        var (welcomed, dataBack, attempts, probeError) = await ProbeAsync(imactors, servers, senders[0], lastAcks[0], watch, cancellationToken);
        var restartCpu = servers.Processes.CpuSeconds();

        // 3. Every inbox holds what was ACKed into it, and each sender's last ACKed message is there. A node that
        //    never came back is reported as such (with its log's errors) rather than failing the run.
        (int Short, long Missing, int LastMissing)? verified = dataBack is null
            ? null
            : await VerifyAsync(imactors, senders, inboxes, lastAcks, cancellationToken);
        var after = StoreFiles.Measure(storeDir);
        var logs = NodeLogs.Read(servers.Logs.ToList());

        report.Add("messages", options.Messages);
        report.Add("senders", options.Senders);
        report.Add("inboxes", options.Inboxes);
        report.Add("size_bytes", options.Size, "B");
        report.Add("fill_s", Math.Round(fillSeconds, 1), "s");
        report.Add("fill_msg_per_s", Math.Round(options.Messages / fillSeconds), "msg/s");
        report.Add("fill_retries", _fillRetries);
        report.Add("fill_first_refusal", _fillRefusal);
        report.Add("checkpoints_before_kill", logs.CheckpointsBeforeKill);
        before.Report(report, "before_kill");
        report.Add("before_kill_rss_mib", Math.Round(rssBefore / 1048576.0, 1), "MiB");
        report.Add("fresh_start_welcome_s", servers.NodeStartedIn is { } f ? Math.Round(f.TotalSeconds, 3) : null, "s");
        report.Add("welcome_s", welcomed is { } w ? Math.Round(w.TotalSeconds, 3) : null, "s");
        report.Add("data_back_s", dataBack is { } d ? Math.Round(d.TotalSeconds, 3) : null, "s");
        report.Add("probe_attempts", attempts);
        report.Add("probe_error", probeError);
        report.Add("restart_cpu_s", Math.Round(restartCpu, 2), "s");
        report.Add("aof_replayed_records", logs.ReplayedRecords);
        report.Add("aof_replay_s", logs.ReplaySeconds, "s");
        report.Add("inboxes_checked", dataBack is null ? 0 : options.Senders + options.Inboxes);
        report.Add("inboxes_short", verified?.Short);
        report.Add("messages_missing", verified?.Missing);
        report.Add("last_acked_missing", verified?.LastMissing);
        after.Report(report, "after_restart");
        report.Add("after_restart_rss_mib", Math.Round(servers.Processes.RssBytes() / 1048576.0, 1), "MiB");
        report.Add("node_log_errors", logs.Errors);
        report.Add("node_log_warnings", logs.Warnings);
        report.Add("first_log_error", logs.FirstError);
    }

    private async Task<AckFrame[]> FillAsync(ImActorsTarget target, List<string> senders, List<string> inboxes, CancellationToken cancellationToken)
    {
        var lastAcks = new AckFrame[senders.Count];
        var counters = senders.Select(_ => new LoadCounters()).ToArray();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = Task.Run(async () =>
        {
            // A million messages take minutes: say how far the fill is, on stderr (stdout is the report).
            var watch = Stopwatch.StartNew();
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), done.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                var acked = counters.Sum(c => c.Acked);
                Console.Error.WriteLine($"restart: {acked} of {options.Messages} messages ACKed ({acked / watch.Elapsed.TotalSeconds:0}/s)");
            }
        }, CancellationToken.None);
        try
        {
            await Task.WhenAll(senders.Select((user, s) => Task.Run(async () =>
            {
                var sent = counters[s];
                await using var connection = await target.ConnectProtocolAsync(user, 0, null, sent, cancellationToken);
                connection.RetryRefusedSends = true;
                var body = MessageStamp.Create(options.Size, 0, measured: false);
                var count = 0L;
                for (var i = (long)s; i < options.Messages; i += senders.Count)
                {
                    while (count - sent.Acked - sent.Errors >= options.Window)
                    {
                        await Task.Delay(1, cancellationToken);
                    }

                    connection.SendDirect(inboxes[(int)(i % inboxes.Count)], body);
                    count++;
                }

                var stalled = Stopwatch.StartNew();
                for (var last = -1L; sent.Acked + sent.Errors < count; await Task.Delay(10, cancellationToken))
                {
                    (last, stalled) = sent.Acked == last ? (last, stalled) : (sent.Acked, Stopwatch.StartNew());
                    if (stalled.Elapsed > TimeSpan.FromSeconds(60))
                    {
                        throw new IOException($"{user}: no ACK for 60 s ({sent.Acked} of {count} ACKed)");
                    }
                }

                if (sent.Errors > 0)
                {
                    throw new IOException($"storing the messages failed: {sent.Errors} of {count} sends of {user} refused; first: {sent.FirstError}");
                }

                lastAcks[s] = connection.LastAck ?? throw new IOException($"{user} got no ACK");
                Interlocked.Add(ref _fillRetries, connection.Retries);
                _fillRefusal ??= connection.FirstRefusal;
            }, cancellationToken)));
        }
        finally
        {
            await done.CancelAsync();
            await progress;
        }

        return lastAcks;
    }

    private async Task<(TimeSpan? Welcomed, TimeSpan? DataBack, int Attempts, string? Error)> ProbeAsync(
        ImActorsTarget target, ServerSide servers, string user, AckFrame last, Stopwatch watch, CancellationToken cancellationToken)
    {
        TimeSpan? welcomed = null;
        string? error = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var probe = await target.ConnectProtocolAsync(user, 0, null, new LoadCounters(), cancellationToken);
                welcomed ??= watch.Elapsed;
                await probe.SyncAsync(last.Seq - 1, 1).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                // The store has recovered before the node listens: a sync that answers without the message
                // means the message is gone, and asking again would not bring it back.
                return probe.LastSynced?.Id == last.MessageId
                    ? (welcomed, watch.Elapsed, attempt, error)
                    : (welcomed, null, attempt, $"the sync after seq {last.Seq - 1} returned {probe.LastSynced?.Id ?? "nothing"}, not {last.MessageId}");
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // Refused while the process starts, or a 503 while the silo joins: a client would retry too.
                error = e.Message;
                if (watch.Elapsed > options.Deadline || servers.NodeExit is not null)
                {
                    return (welcomed, null, attempt, servers.NodeExit ?? $"not back within {options.Deadline.TotalSeconds:0} s: {error}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private async Task<(int Short, long Missing, int LastMissing)> VerifyAsync(
        ImActorsTarget target, List<string> senders, List<string> inboxes, AckFrame[] lastAcks, CancellationToken cancellationToken)
    {
        await using var set = await ConnectionSet.OpenAsync(target, [.. senders, .. inboxes], null, new LoadCounters(), 32, requireAll: true, cancellationToken);
        var (inboxesShort, missing, lastMissing) = (0, 0L, 0);
        await Parallel.ForEachAsync(Enumerable.Range(0, set.Connections.Count), cancellationToken, async (k, ct) =>
        {
            var connection = (ProtocolConnection)set.Connections[k];
            var expected = k < senders.Count ? lastAcks[k].Seq : Share(options.Messages, inboxes.Count, k - senders.Count);
            if (connection.WelcomeInboxSeq < expected)
            {
                Interlocked.Increment(ref inboxesShort);
                Interlocked.Add(ref missing, expected - connection.WelcomeInboxSeq);
            }

            if (k < senders.Count)
            {
                await connection.SyncAsync(lastAcks[k].Seq - 1, 1).WaitAsync(TimeSpan.FromSeconds(30), ct);
                if (connection.LastSynced?.Id != lastAcks[k].MessageId)
                {
                    Interlocked.Increment(ref lastMissing);
                }
            }
        });
        return (inboxesShort, missing, lastMissing);
    }

    /// <summary>How many of <paramref name="total"/> items, dealt round robin over <paramref name="parts"/>, part <paramref name="index"/> gets.</summary>
    private static long Share(long total, int parts, int index) => total / parts + (index < total % parts ? 1 : 0);

    /// <summary>The embedded store's files: the append-only file (under an <c>AOF</c> directory), checkpoints, and the tiered log.</summary>
    private sealed record StoreFiles(long AofBytes, long CheckpointBytes, long LogBytes, long AofFiles)
    {
        public static StoreFiles Measure(string dir)
        {
            var files = Directory.Exists(dir) ? new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).ToList() : [];
            bool Under(FileInfo f, string name) => Path.GetRelativePath(dir, f.FullName).Split(Path.DirectorySeparatorChar).Contains(name);
            var aof = files.Where(f => Under(f, "AOF")).ToList();
            return new StoreFiles(
                aof.Sum(f => f.Length),
                files.Where(f => Under(f, "checkpoints") && !Under(f, "AOF")).Sum(f => f.Length),
                files.Where(f => Under(f, "log") && !Under(f, "AOF")).Sum(f => f.Length),
                aof.Count(f => f.Name.StartsWith("aof.log", StringComparison.Ordinal)));
        }

        public void Report(BenchReport report, string prefix)
        {
            report.Add($"{prefix}_aof_mib", Math.Round(AofBytes / 1048576.0, 1), "MiB");
            report.Add($"{prefix}_aof_segments", AofFiles);
            report.Add($"{prefix}_checkpoints_mib", Math.Round(CheckpointBytes / 1048576.0, 1), "MiB");
            report.Add($"{prefix}_log_mib", Math.Round(LogBytes / 1048576.0, 1), "MiB");
        }
    }

    /// <summary>What the node's logs say: checkpoints taken before the kill, the restart's replay, and trouble.</summary>
    private sealed partial record NodeLogs(int CheckpointsBeforeKill, long? ReplayedRecords, double? ReplaySeconds, int Errors, int Warnings, string? FirstError)
    {
        public static NodeLogs Read(List<string> logs)
        {
            var lines = logs.Select(l => File.Exists(l) ? File.ReadAllLines(l) : []).ToList();
            var all = lines.SelectMany(l => l).ToList();
            var errorAt = all.FindIndex(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
            var restart = string.Join('\n', lines[^1]);
            return new NodeLogs(
                lines.Count < 2 ? 0 : lines[^2].Count(l => l.Contains("Completed checkpoint", StringComparison.Ordinal)),
                ReplayedRecordsLine().Match(restart) is { Success: true } r ? long.Parse(r.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : null,
                ReplaySecondsLine().Match(restart) is { Success: true } s ? double.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                all.Count(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)),
                all.Count(l => l.StartsWith("warn:", StringComparison.Ordinal)),
                errorAt < 0 ? null : string.Join(' ', all.Skip(errorAt).Take(2).Select(l => l.Trim())));
        }

        [GeneratedRegex(@"Total number of replayed records ([0-9,]+)")]
        private static partial Regex ReplayedRecordsLine();

        [GeneratedRegex(@"AOF Recovery in ([0-9.]+) secs")]
        private static partial Regex ReplaySecondsLine();
    }
}
