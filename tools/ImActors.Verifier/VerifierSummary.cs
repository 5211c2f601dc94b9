using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImActors.Verifier;

/// <summary>The one JSON line the verifier prints. <see cref="Ok"/> is false on any loss, duplicate, gap, reused seq or inconsistency.</summary>
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

    public IReadOnlyList<string> Examples { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A stretch of time in which sends waited more than a second for their ACK.</summary>
public sealed record SlowEpisode(string At, int Sends, double MaxWaitMs);
