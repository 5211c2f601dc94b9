using System.Collections.Concurrent;
using System.Diagnostics;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Measurement;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>presence</c>: U connected users each watch W of U other users, who are offline at the start; those log in at C per
/// second (open loop, round robin), each staying connected for a session and then leaving. Every login is a presence
/// change (online) pushed to its watchers, and so is every leave (offline, after the server's grace). Measured: the
/// watcher pushes per second, the time from a login's scheduled start to each watcher's push, and the servers' CPU per
/// presence change. ImActors only: the peer has no presence.
/// </summary>
public sealed class PresenceScenario(PresenceOptions options) : Scenario
{
    public override string Name => "presence";

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget imactors || target.Name == "relay")
        {
            throw new BenchUsageException("presence runs against ImActors targets only (the peer and the relay have no presence)");
        }

        var counters = new LoadCounters();
        var pushes = new WatcherPushes();
        var watched = RunIds.Users("p", options.Users);
        await using var watchers = await ConnectionSet.OpenAsync(target, RunIds.Users("w", options.Users), null, counters, 64, requireAll: true, cancellationToken);

        // Watcher i watches users i .. i+W-1 of the watched (mod U): each watched user has exactly W watchers.
        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, watchers.Connections.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var watcher = (ProtocolConnection)watchers.Connections[i];
                watcher.OnPresence = pushes.Take;
                await watcher.WatchAsync(Enumerable.Range(0, options.Watches).Select(k => watched[(i + k) % watched.Count]).ToList(), ct);
            });
        report.Add("users", options.Users);
        report.Add("watches_per_user", options.Watches);
        report.Add("churn_logins_per_s", options.Churn);
        report.Add("session_s", options.Session.TotalSeconds, "s");
        report.Add("watch_setup_s", Math.Round(setup.Elapsed.TotalSeconds, 2), "s");

        var churn = new LoginChurn(imactors, options.Session, counters, cancellationToken);
        var measuredFrom = (long)Math.Round(options.Churn * options.Warmup.TotalSeconds);
        var loop = OpenLoop.RunAsync(options.Churn, options.Warmup + options.Duration, (k, due) =>
        {
            var user = watched[(int)(k % watched.Count)];
            if (k >= measuredFrom)
            {
                pushes.LoginDue(user, due);
            }

            churn.Start(user, (int)k);
        }, cancellationToken);

        await Task.Delay(options.Warmup, cancellationToken);
        var (serverCpu, generatorCpu, changes) = (servers.Processes.CpuSeconds(), Generator(), churn.Changes);
        var window = Stopwatch.StartNew();
        pushes.Measure(true);
        await loop;
        pushes.Measure(false);
        var seconds = window.Elapsed.TotalSeconds;
        var (serverSeconds, generatorSeconds, changed) = (servers.Processes.CpuSeconds() - serverCpu, Generator() - generatorCpu, churn.Changes - changes);

        // The last logins' pushes are still on their way: they count for latency, not for the rate.
        await Task.Delay(options.Session + TimeSpan.FromSeconds(2), cancellationToken);
        await churn.DisposeAsync();

        var measuredLogins = (long)Math.Round(options.Churn * options.Duration.TotalSeconds);
        var latency = pushes.LoginToPush.Summary();
        report.Add("pushes_per_s", Math.Round(pushes.Pushes / seconds), "/s");
        // Each login and each leave is pushed to every watcher of its user (W, as the watches are laid out).
        report.Add("expected_pushes_per_s", Math.Round(2 * options.Churn * options.Watches), "/s");
        report.Add("pushes_per_login", measuredLogins == 0 ? 0 : Math.Round((double)pushes.LoginPushes / measuredLogins, 2));
        report.Add("login_to_push_p50_ms", latency.P50Ms, "ms");
        report.Add("login_to_push_p99_ms", latency.P99Ms, "ms");
        report.Add("login_to_push_p999_ms", latency.P999Ms, "ms");
        report.Add("login_to_push_max_ms", latency.MaxMs, "ms");
        report.Add("presence_changes_per_s", Math.Round(changed / seconds, 1), "/s");
        report.Add("server_cpu_us_per_change", changed == 0 ? null : Math.Round(serverSeconds * 1e6 / changed, 1), "µs");
        report.Add("server_cpu_us_per_push", pushes.Pushes == 0 ? null : Math.Round(serverSeconds * 1e6 / pushes.Pushes, 2), "µs");
        report.Add("server_cores", Math.Round(serverSeconds / seconds, 2), "cores");
        report.Add("generator_cores", Math.Round(generatorSeconds / seconds, 2), "cores");
        report.Add("login_failures", churn.Failures);
        report.Add("errors", counters.Errors);
        if ((churn.FirstError ?? counters.FirstError) is { } error)
        {
            report.Add("first_error", error);
        }
    }

    private static double Generator() => ProcSample.Read(Environment.ProcessId)?.CpuSeconds ?? 0;

    /// <summary>
    /// The logins: each connects its user (a new device session), holds it for the session and closes it. Started from the
    /// open-loop thread, so connecting never holds the schedule up. A login and its leave are each one presence change.
    /// </summary>
    private sealed class LoginChurn(ImActorsTarget target, TimeSpan session, LoadCounters counters, CancellationToken cancellationToken)
        : IAsyncDisposable
    {
        private readonly ConcurrentBag<Task> _running = [];
        private long _changes;
        private long _failures;

        public long Changes => Interlocked.Read(ref _changes);

        public long Failures => Interlocked.Read(ref _failures);

        public string? FirstError { get; private set; }

        public void Start(string user, int index) => _running.Add(Task.Run(() => LoginAsync(user, index), CancellationToken.None));

        private async Task LoginAsync(string user, int index)
        {
            try
            {
                await using var connection = await target.ConnectProtocolAsync(user, index, null, counters, cancellationToken);
                Interlocked.Increment(ref _changes);
                await Task.Delay(session, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                FirstError ??= $"{user}: {e.GetBaseException().Message}";
                Interlocked.Increment(ref _failures);
                return;
            }

            Interlocked.Increment(ref _changes);
        }

        public async ValueTask DisposeAsync() => await Task.WhenAll(_running);
    }
}
