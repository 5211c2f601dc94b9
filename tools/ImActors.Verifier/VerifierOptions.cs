using ImActors.Protocol;

namespace ImActors.Verifier;

/// <summary>What to run against which edges. Parsed from the command line by <see cref="VerifierArguments"/>.</summary>
public sealed class VerifierOptions
{
    /// <summary>Edges; client i starts at edge i (mod count) and fails over to the next ones.</summary>
    public List<Uri> Servers { get; set; } = [];

    /// <summary>Workloads to run side by side; see <see cref="Workloads.WorkloadCatalog"/>.</summary>
    public List<string> Workloads { get; set; } = ["direct", "group"];

    /// <summary>Simulated users, each one SDK client (one connection).</summary>
    public int Clients { get; set; } = 20;

    /// <summary>Sends per second per client (each client sends one at a time, waiting for the ACK).</summary>
    public double Rate { get; set; } = 5;

    /// <summary>How long new sends are started. Sends still waiting for an ACK then get <see cref="Drain"/> to finish.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long sends in flight at the end may still take before they count as un-ACKed.</summary>
    public TimeSpan Drain { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>HS256 secret the edges validate tokens with.</summary>
    public string Secret { get; set; } = ProtocolDefaults.DevelopmentTokenSecret;

    /// <summary>Prefix of every user id of this run, so runs never see each other's messages.</summary>
    public string RunId { get; set; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// How long one attempt waits for an ACK before the SDK resends (same client message id). Above the
    /// edge's own retry budget (3 s), so the edge's answer normally arrives first.
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Longest pause between reconnect attempts. Shorter than the SDK's default (10 s) so that the recovery
    /// time measured is the cluster's, not the client's backoff.
    /// </summary>
    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Set: the verifier listens here (e.g. http://127.0.0.1:7480/events) for the events the cluster's webhooks post, the
    /// silos having this address in <c>Webhooks:Urls</c>, and audits them against the messages (decision 123).
    /// </summary>
    public Uri? AuditEvents { get; set; }

    /// <summary>The silos' <c>Webhooks:Secret</c>, to check each request's signature with; null: requests are taken unchecked.</summary>
    public string? EventsSecret { get; set; }

    /// <summary>How long the event audit keeps waiting for missing events after the last new one arrived.</summary>
    public TimeSpan EventsQuiet { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs after every client has stopped and before the audit reads anything back. Tests use it to damage
    /// the store on purpose and prove the audit notices.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeAudit { get; set; }

    /// <summary>Progress lines on stderr (stdout carries only the summary).</summary>
    public TextWriter? Log { get; set; }
}
