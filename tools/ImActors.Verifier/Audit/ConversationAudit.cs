namespace ImActors.Verifier.Audit;

/// <summary>One stored message as a reader saw it on a sync from the start of a conversation.</summary>
/// <param name="ServerEvent">An entry the server wrote itself (a group's membership events): it counts for seqs, not as a send.</param>
public readonly record struct StoredEntry(long Seq, string MessageId, string? ClientMessageId, bool ServerEvent = false);

/// <summary>The findings of the audit, summed over conversations.</summary>
public sealed class AuditFindings
{
    /// <summary>Conversations read.</summary>
    public int Conversations { get; set; }

    /// <summary>Entries read, over all conversations.</summary>
    public long Stored { get; set; }

    /// <summary>ACKed messages missing from a conversation that must hold them (counted per conversation).</summary>
    public long Lost { get; set; }

    /// <summary>
    /// ACKed messages missing because retention removed them: at or below the seq the server says it trimmed the
    /// conversation to. Not a failure; a long run fills logs past what they keep.
    /// </summary>
    public long Trimmed { get; set; }

    /// <summary>Extra copies: a client message id held more than once by one conversation.</summary>
    public long Duplicated { get; set; }

    /// <summary>Seqs missing between 1 and the last seq of a conversation.</summary>
    public long Gaps { get; set; }

    /// <summary>Seqs not strictly increasing in the order the reader received them.</summary>
    public long Disordered { get; set; }

    /// <summary>Held with a message id or seq other than the ACK said.</summary>
    public long Mismatched { get; set; }

    /// <summary>Entries that no send of this run explains.</summary>
    public long Unexpected { get; set; }

    /// <summary>Conversations that could not be read to their end.</summary>
    public int Unreadable { get; set; }

    /// <summary>
    /// Seqs a client was shown with one message id that were shown with another during the run, or that the
    /// store holds another message at, or nothing, within the range it still holds.
    /// </summary>
    public long SeqReused { get; set; }

    /// <summary>Un-ACKed sends that were nevertheless stored (once): allowed, reported for information.</summary>
    public long StoredUnacked { get; set; }

    public List<string> Examples { get; } = [];

    /// <summary>Every message id the conversations held (server-written entries aside): the messages that exist, for the event audit.</summary>
    public HashSet<string> StoredMessageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the events were audited at all (<see cref="EventAudit"/>); the counts below are zero when not.</summary>
    public bool EventsAudited { get; set; }

    /// <summary>Distinct <c>message.stored</c> events of the run's senders received.</summary>
    public long Events { get; set; }

    /// <summary>Deliveries of an event id already received: the stream's at-least-once repeats, allowed.</summary>
    public long EventRepeats { get; set; }

    /// <summary>Webhook requests the receiver refused (bad signature, unreadable body).</summary>
    public long EventsRefused { get; set; }

    /// <summary>Messages ACKed or stored with no <c>message.stored</c> event.</summary>
    public long EventsMissing { get; set; }

    /// <summary>Extra <c>message.stored</c> events (distinct event ids) for one message.</summary>
    public long EventsDuplicated { get; set; }

    /// <summary><c>message.stored</c> events of the run's senders naming a message that was neither ACKed nor stored.</summary>
    public long EventsWithoutMessage { get; set; }

    /// <summary>Events whose seqs differ from the ones the message's ACK gave.</summary>
    public long EventsMismatched { get; set; }

    /// <summary>How long the event audit waited for the last events after the conversations were read.</summary>
    public double EventsWaitS { get; set; }

    public bool Clean => Lost == 0 && Duplicated == 0 && Gaps == 0 && Disordered == 0 && Mismatched == 0 && Unexpected == 0 && Unreadable == 0 && SeqReused == 0
        && EventsMissing == 0 && EventsDuplicated == 0 && EventsWithoutMessage == 0 && EventsMismatched == 0;

    public void Note(string example)
    {
        // A few concrete cases make a failure debuggable; thousands would drown the summary.
        if (Examples.Count < 10)
        {
            Examples.Add(example);
        }
    }
}

/// <summary>
/// The checks every conversation must pass, whatever the workload: seqs 1..N with no gap and in order;
/// every ACKed send held exactly once, under the ACK's message id (and seq, where the ACK names one for
/// this conversation); an un-ACKed send held at most once; nothing held that nobody sent; every seq a client
/// was shown still holds the message it was shown.
/// </summary>
public static class ConversationAudit
{
    /// <param name="end">The conversation's last seq as the server announces it: seqs after the last entry read up to it are gaps.</param>
    /// <param name="observed">What the run's clients were shown of the conversation, if anything.</param>
    /// <param name="trimmedTo">The seq up to which retention has removed the conversation's entries, as the server says
    /// (a sync page's <c>trimmed</c>): seqs up to it are neither gaps nor losses.</param>
    public static void Check(
        string conversation, IReadOnlyList<StoredEntry> entries, long end, IReadOnlyList<SentMessage> expected,
        ObservedConversation? observed, AuditFindings findings, long trimmedTo = 0)
    {
        findings.Conversations++;
        findings.Stored += entries.Count;
        findings.StoredMessageIds.UnionWith(entries.Where(e => !e.ServerEvent).Select(e => e.MessageId));

        var previous = trimmedTo;
        foreach (var entry in entries)
        {
            if (entry.Seq <= previous)
            {
                findings.Disordered++;
                findings.Note($"{conversation}: seq {entry.Seq} after {previous}");
                continue;
            }

            if (entry.Seq > previous + 1)
            {
                findings.Gaps += entry.Seq - previous - 1;
                findings.Note($"{conversation}: seqs {previous + 1}..{entry.Seq - 1} missing");
            }

            previous = entry.Seq;
        }

        if (end > previous)
        {
            findings.Gaps += end - previous;
            findings.Note($"{conversation}: seqs {previous + 1}..{end} announced but never delivered");
        }

        var held = entries.Where(e => e.ClientMessageId is not null).GroupBy(e => e.ClientMessageId!).ToDictionary(g => g.Key, g => g.ToList());
        var retention = trimmedTo > 0 ? RetentionLine.Of(conversation, entries, expected, trimmedTo) : null;
        var known = new HashSet<string>();
        foreach (var sent in expected)
        {
            known.Add(sent.ClientMessageId);
            var copies = held.GetValueOrDefault(sent.ClientMessageId) ?? [];
            if (copies.Count > 1)
            {
                findings.Duplicated += copies.Count - 1;
                findings.Note($"{conversation}: {sent.ClientMessageId} held {copies.Count} times (seqs {string.Join(",", copies.Select(c => c.Seq))})");
            }

            if (!sent.Acked)
            {
                findings.StoredUnacked += copies.Count > 0 ? 1 : 0;
                continue;
            }

            if (copies.Count == 0 && retention?.Trimmed(sent) == true)
            {
                findings.Trimmed++;
                continue;
            }

            if (copies.Count == 0)
            {
                findings.Lost++;
                findings.Note($"{conversation}: ACKed {sent.ClientMessageId} ({sent.MessageId}) missing");
                continue;
            }

            var copy = copies[0];
            var ackedSeq = sent.SeqIn(conversation);
            if (copy.MessageId != sent.MessageId || (ackedSeq is { } seq && copy.Seq != seq))
            {
                findings.Mismatched++;
                findings.Note($"{conversation}: {sent.ClientMessageId} held as {copy.MessageId}@{copy.Seq}, ACKed as {sent.MessageId}@{ackedSeq}");
            }
        }

        foreach (var entry in entries)
        {
            if (!entry.ServerEvent && (entry.ClientMessageId is null || !known.Contains(entry.ClientMessageId)))
            {
                findings.Unexpected++;
                findings.Note($"{conversation}: unexpected entry {entry.MessageId}@{entry.Seq}");
            }
        }

        CheckObservedSeqs(conversation, entries, observed, findings);
    }

    /// <summary>A conversation that could not be read: only what clients were shown during the run can still be judged.</summary>
    public static void Unreadable(string conversation, ObservedConversation? observed, AuditFindings findings)
    {
        findings.Unreadable++;
        findings.Note($"{conversation}: could not be read");
        CheckObservedSeqs(conversation, entries: null, observed, findings);
    }

    /// <summary>
    /// Every seq a client was shown must have carried one message id all run, and the store must still hold that
    /// message there. Nothing below the first entry held counts (trimmed by retention, or already a gap), nor after
    /// the last (a reader that stopped early does not know what is there; those seqs are gaps already). A recalled
    /// message keeps its id and seq (its tombstone replaces it in place), so a recall is no reuse.
    /// </summary>
    private static void CheckObservedSeqs(
        string conversation, IReadOnlyList<StoredEntry>? entries, ObservedConversation? observed, AuditFindings findings)
    {
        if (observed is null)
        {
            return;
        }

        foreach (var (seq, other) in observed.Reused.OrderBy(r => r.Key))
        {
            findings.SeqReused++;
            findings.Note($"{conversation}: seq {seq} shown as {observed.Ids[seq]}, later as {other}");
        }

        if (entries is not { Count: > 0 })
        {
            return;
        }

        var stored = new Dictionary<long, string>(entries.Count);
        var first = long.MaxValue;
        var last = 0L;
        foreach (var entry in entries)
        {
            stored.TryAdd(entry.Seq, entry.MessageId);
            first = Math.Min(first, entry.Seq);
            last = Math.Max(last, entry.Seq);
        }

        foreach (var (seq, shown) in observed.Ids)
        {
            if (seq < first || seq > last || observed.Reused.ContainsKey(seq))
            {
                continue;
            }

            if (!stored.TryGetValue(seq, out var held))
            {
                findings.SeqReused++;
                findings.Note($"{conversation}: seq {seq} shown as {shown}, nothing stored there (seqs {first}..{last} held)");
            }
            else if (held != shown)
            {
                findings.SeqReused++;
                findings.Note($"{conversation}: seq {seq} shown as {shown}, stored as {held}");
            }
        }
    }
}

/// <summary>
/// Tells a message retention removed from one that was lost. Where the ACK named the message's seq in this
/// conversation (the sender's copy's seq, and a 1:1 message's peerSeq in the recipient's inbox), the seq decides.
/// Elsewhere (an ACK from a server that gives no peerSeq) only order can: a message whose ACK came before the first attempt of the entry just above the trimmed
/// range was stored below that entry, so at or below the trimmed seq. Anything else missing stays lost.
/// </summary>
internal sealed class RetentionLine(string conversation, long trimmedTo, DateTime? firstKeptStartedAt)
{
    public static RetentionLine Of(string conversation, IReadOnlyList<StoredEntry> entries, IReadOnlyList<SentMessage> expected, long trimmedTo)
    {
        var firstKept = entries.FirstOrDefault(e => e.Seq == trimmedTo + 1);
        var sent = firstKept.ClientMessageId is { } cmid ? expected.FirstOrDefault(m => m.ClientMessageId == cmid) : null;
        return new RetentionLine(conversation, trimmedTo, sent?.StartedAt);
    }

    public bool Trimmed(SentMessage message) =>
        message.SeqIn(conversation) is { } seq
            ? seq <= trimmedTo
            : firstKeptStartedAt is { } start && message.StartedAt.AddMilliseconds(message.WaitMs) < start;
}
