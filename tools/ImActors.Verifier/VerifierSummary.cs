using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImActors.Verifier;

/// <summary>
/// The one JSON line the verifier prints. <see cref="Ok"/> is false on any loss, duplicate, gap, reused seq or inconsistency,
/// and, with the events audited, on a message without its event, with two, or an event without its message.
/// </summary>
public sealed record VerifierSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public bool Ok { get; init; }

    public string RunId { get; init; } = "";

    public IReadOnlyList<string> Workloads { get; init; } = [];

    public int Clients { get; init; }

    public double DurationS { get; init; }

    /// <summary>Sends started.</summary>
    public long Sent { get; init; }

    public long Acked { get; init; }

    /// <summary>Sends given up on (no ACK by the end of the drain time).</summary>
    public long Unacked { get; init; }

    /// <summary>Of the un-ACKed sends, those stored anyway (exactly once): allowed.</summary>
    public long StoredUnacked { get; init; }

    public long Lost { get; init; }

    /// <summary>ACKed messages that retention removed (older than what a conversation keeps): reported apart, not a failure.</summary>
    public long Trimmed { get; init; }

    public long Duplicated { get; init; }

    public long Gaps { get; init; }

    public long Disordered { get; init; }

    public long Mismatched { get; init; }

    public long Unexpected { get; init; }

    public int Unreadable { get; init; }

    /// <summary>
    /// Seqs handed out twice: a client was shown one message id at a (conversation, seq) and another client, or
    /// the final store, another one there (or the store holds nothing there, within the seqs it still holds).
    /// A device that saw the first skips the second as already seen.
    /// </summary>
    public long SeqReused { get; init; }

    /// <summary>Conversations read back, and the entries they held.</summary>
    public int Conversations { get; init; }

    public long Stored { get; init; }

    /// <summary>The longest any sender waited for an ACK (first attempt to ACK): the recovery time of the worst disruption.</summary>
    public double MaxRecoveryMs { get; init; }

    public double AckP50Ms { get; init; }

    public double AckP99Ms { get; init; }

    /// <summary>ACKed sends that waited more than a second: those that rode out a disruption.</summary>
    public long SlowAcks { get; init; }

    /// <summary>
    /// Slow ACKs (over a second) grouped into episodes, one per disruption the clients felt: when it
    /// started (UTC), how many sends it held back, and the longest wait in it.
    /// </summary>
    public IReadOnlyList<SlowEpisode> Episodes { get; init; } = [];

    /// <summary>Whether the event stream was audited too (<c>--audit-events</c>); the event figures are zero when not.</summary>
    public bool EventsAudited { get; init; }

    /// <summary>Distinct <c>message.stored</c> events of the run's senders the webhooks posted.</summary>
    public long Events { get; init; }

    /// <summary>Deliveries of an event id already received: at-least-once repeats (after a silo kill, say), allowed.</summary>
    public long EventRepeats { get; init; }

    /// <summary>Webhook requests refused for a bad signature or body (the webhook retries them, then dead-letters).</summary>
    public long EventsRefused { get; init; }

    /// <summary>ACKed or stored messages with no <c>message.stored</c> event.</summary>
    public long EventsMissing { get; init; }

    /// <summary>Extra <c>message.stored</c> events for one message, after deduplication by event id.</summary>
    public long EventsDuplicated { get; init; }

    /// <summary><c>message.stored</c> events naming a message that was neither ACKed nor stored.</summary>
    public long EventsWithoutMessage { get; init; }

    /// <summary>Events whose seqs are not the ones the message's ACK gave.</summary>
    public long EventsMismatched { get; init; }

    /// <summary>How long the event audit waited for the last events after the conversations were read.</summary>
    public double EventsWaitS { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A stretch of time in which sends waited more than a second for their ACK.</summary>
public sealed record SlowEpisode(string At, int Sends, double MaxWaitMs);
