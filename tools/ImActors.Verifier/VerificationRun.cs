using System.Diagnostics;
using ImActors.Verifier.Audit;
using ImActors.Verifier.Events;
using ImActors.Verifier.Workloads;

namespace ImActors.Verifier;

/// <summary>A run that cannot be judged at all: bad options, or no edge to connect to.</summary>
public sealed class VerifierException(string message) : Exception(message);

/// <summary>
/// Connects one SDK client per simulated user, runs the workloads for the configured duration, lets
/// sends in flight finish, disconnects everyone, then reads every conversation back from its start and
/// audits it against what was ACKed. Tests call <see cref="RunAsync"/> while they break the cluster.
/// </summary>
public static class VerificationRun
{
    public static async Task<VerifierSummary> RunAsync(VerifierOptions options, CancellationToken cancellationToken = default)
    {
        var workloads = Validate(options);
        var log = options.Log;
        var ledger = new Ledger();
        var users = new List<SimulatedUser>();
        var drains = new List<Task>();
        var clock = Stopwatch.StartNew();
        // Listening before any client logs in: the run's first events (its users coming online) follow at once.
        var receiver = options.AuditEvents is { } address ? await EventReceiver.StartAsync(address, options.EventsSecret, cancellationToken) : null;
        try
        {
            var context = new WorkloadContext(options, users, ledger, new ObservedSeqs());
            for (var i = 0; i < options.Clients; i++)
            {
                var id = $"v{options.RunId}-{i}";
                users.Add(new SimulatedUser(i, id, context.NewClient(id, i, "load", resumeAfterSeq: null)));
            }

            try
            {
                await Task.WhenAll(users.Select(u => u.Client.ConnectAsync(cancellationToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new VerifierException($"cannot connect the clients to {string.Join(", ", options.Servers)}: {e.Message}");
            }

            // What the clients are shown is recorded to be held against the final store; it must be consumed anyway, as the SDK queues it unbounded.
            drains.AddRange(users.Select(u => DrainAsync(u, context.Observed, log)));
            log?.WriteLine($"verifier {options.RunId}: {users.Count} clients connected; running {string.Join("+", workloads.Select(w => w.Name))} for {options.Duration.TotalSeconds:0} s");

            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopSending.CancelAfter(options.Duration);
            giveUp.CancelAfter(options.Duration + options.Drain);
            await Task.WhenAll(workloads.Select(w => w.RunAsync(context, stopSending.Token, giveUp.Token)));
            var ran = clock.Elapsed;

            await DisconnectAsync(users, drains);
            if (ledger.All.Any(m => !m.Acked))
            {
                // A given-up send may still be in an edge's retry; let it land before reading, so "stored once" is judged on the final state.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }

            if (options.BeforeAudit is { } beforeAudit)
            {
                await beforeAudit(cancellationToken);
            }

            log?.WriteLine($"verifier {options.RunId}: sending done after {ran.TotalSeconds:0.0} s; auditing");
            var findings = new AuditFindings();
            foreach (var workload in workloads)
            {
                await workload.AuditAsync(context, findings, cancellationToken);
            }

            if (receiver is not null)
            {
                log?.WriteLine($"verifier {options.RunId}: auditing the events ({receiver.Events.Deliveries} webhook requests so far)");
                await EventAudit.CheckAsync(options, ledger, receiver.Events, findings, options.EventsQuiet, cancellationToken);
            }

            return Summarize(options, workloads, ledger, findings, ran);
        }
        finally
        {
            await DisconnectAsync(users, drains);
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    private static List<IWorkload> Validate(VerifierOptions options)
    {
        if (options.Servers.Count == 0)
        {
            throw new VerifierException("no edges given");
        }

        if (options.Clients < 2)
        {
            throw new VerifierException("at least 2 clients are needed");
        }

        if (options.Rate <= 0 || options.Duration <= TimeSpan.Zero || options.Drain < TimeSpan.Zero)
        {
            throw new VerifierException("rate and duration must be positive");
        }

        return options.Workloads.Select(name => WorkloadCatalog.Create(name)
            ?? throw new VerifierException($"unknown workload '{name}' (known: {string.Join(", ", WorkloadCatalog.Names)})")).ToList();
    }

    private static async Task DrainAsync(SimulatedUser user, ObservedSeqs observed, TextWriter? log)
    {
        try
        {
            // Pushes and synced history alike: the device now holds this seq and will skip anything else shown there.
            await foreach (var message in user.Client.Messages.ReadAllAsync())
            {
                var conversation = message.Group is { } group ? GroupMessages.Timeline(group) : DirectMessages.Inbox(user.Id);
                observed.Record(conversation, message.Seq, message.Id);
            }
        }
        catch (Exception e)
        {
            // The server refused the client for good (its sends fail from now on); the audit will tell whether anything is missing.
            log?.WriteLine($"{user.Id}: client stopped: {e.Message}");
        }
    }

    private static async Task DisconnectAsync(List<SimulatedUser> users, List<Task> drains)
    {
        foreach (var user in users)
        {
            await user.Client.DisposeAsync();
        }

        await Task.WhenAll(drains);
        drains.Clear();
    }

    private static VerifierSummary Summarize(
        VerifierOptions options, List<IWorkload> workloads, Ledger ledger, AuditFindings findings, TimeSpan ran)
    {
        var acked = ledger.All.Where(m => m.Acked).Select(m => m.WaitMs).Order().ToList();
        var sent = ledger.All.LongCount();
        return new VerifierSummary
        {
            // A run where nothing was ACKed proves nothing, however clean its inboxes are.
            Ok = findings.Clean && acked.Count > 0,
            RunId = options.RunId,
            Workloads = workloads.Select(w => w.Name).ToList(),
            Clients = options.Clients,
            DurationS = Math.Round(ran.TotalSeconds, 1),
            Sent = sent,
            Acked = acked.Count,
            Unacked = sent - acked.Count,
            StoredUnacked = findings.StoredUnacked,
            Lost = findings.Lost,
            Trimmed = findings.Trimmed,
            Duplicated = findings.Duplicated,
            Gaps = findings.Gaps,
            Disordered = findings.Disordered,
            Mismatched = findings.Mismatched,
            Unexpected = findings.Unexpected,
            Unreadable = findings.Unreadable,
            SeqReused = findings.SeqReused,
            Conversations = findings.Conversations,
            Stored = findings.Stored,
            MaxRecoveryMs = acked.Count == 0 ? 0 : Math.Round(acked[^1]),
            AckP50Ms = Percentile(acked, 0.50),
            AckP99Ms = Percentile(acked, 0.99),
            SlowAcks = acked.LongCount(ms => ms > SlowMs),
            Episodes = Episodes(ledger),
            EventsAudited = findings.EventsAudited,
            Events = findings.Events,
            EventRepeats = findings.EventRepeats,
            EventsRefused = findings.EventsRefused,
            EventsMissing = findings.EventsMissing,
            EventsDuplicated = findings.EventsDuplicated,
            EventsWithoutMessage = findings.EventsWithoutMessage,
            EventsMismatched = findings.EventsMismatched,
            EventsWaitS = findings.EventsWaitS,
            Examples = findings.Examples,
        };
    }

    private const double SlowMs = 1000;

    private static List<SlowEpisode> Episodes(Ledger ledger)
    {
        // Slow sends that started within a few seconds of each other were held back by the same disruption.
        var episodes = new List<SlowEpisode>();
        DateTime? first = null, last = null;
        var count = 0;
        var max = 0.0;
        foreach (var sent in ledger.All.Where(m => m.Acked && m.WaitMs > SlowMs).OrderBy(m => m.StartedAt))
        {
            if (last is { } previous && sent.StartedAt - previous > TimeSpan.FromSeconds(5))
            {
                episodes.Add(new SlowEpisode(first!.Value.ToString("HH:mm:ss"), count, Math.Round(max)));
                first = null;
                count = 0;
                max = 0;
            }

            first ??= sent.StartedAt;
            last = sent.StartedAt;
            count++;
            max = Math.Max(max, sent.WaitMs);
        }

        if (first is { } start)
        {
            episodes.Add(new SlowEpisode(start.ToString("HH:mm:ss"), count, Math.Round(max)));
        }

        return episodes;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))], 1);
}
