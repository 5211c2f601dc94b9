using ImActors.Verifier.Events;
using ImActors.Verifier.Workloads;

namespace ImActors.Verifier.Audit;

/// <summary>
/// Holds the events the cluster's webhooks posted against what the run sent and the store held (decision 123): after
/// deduplication by event id, every ACKed message (1:1 and group) and every other message the store held has exactly one
/// <c>message.stored</c> event, with the seqs its ACK gave; and no such event from one of the run's users names a message
/// that was neither ACKed nor held. Runs after the conversations were read, so it knows every message that exists.
/// </summary>
public static class EventAudit
{
    /// <param name="quiet">How long to keep waiting for missing events after the last new one arrived: events trail
    /// the sends by the stream's polling and the webhook's retries, and after a silo kill by the queue moving.</param>
    public static async Task CheckAsync(
        VerifierOptions options, Ledger ledger, ReceivedEvents events, AuditFindings findings, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var acked = ledger.All.Where(m => m.Acked).ToList();
        var mustHaveEvent = acked.Select(m => m.MessageId!).Concat(findings.StoredMessageIds).ToHashSet(StringComparer.Ordinal);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (mustHaveEvent.Any(id => events.StoredEventsOf(id).Count == 0) && DateTime.UtcNow - events.LastNew < quiet)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        findings.EventsAudited = true;
        findings.EventsWaitS = Math.Round(waited.Elapsed.TotalSeconds, 1);
        findings.EventRepeats = events.Repeats;
        findings.EventsRefused = events.Refused;

        foreach (var id in mustHaveEvent)
        {
            var stored = events.StoredEventsOf(id);
            if (stored.Count == 0)
            {
                findings.EventsMissing++;
                findings.Note($"events: message {id} has no message.stored event");
            }
            else if (stored.Count > 1)
            {
                findings.EventsDuplicated += stored.Count - 1;
                findings.Note($"events: message {id} has {stored.Count} message.stored events ({string.Join(", ", stored.Select(e => e.Id))})");
            }
        }

        foreach (var sent in acked)
        {
            if (events.StoredEventsOf(sent.MessageId!) is [var e, ..] && !SeqsAgree(sent, e))
            {
                findings.EventsMismatched++;
                findings.Note($"events: {sent.ClientMessageId} ACKed at seq {sent.AckSeq} (peer {sent.PeerSeq}), its event says seq {e.Seq} (sender {e.SenderSeq})");
            }
        }

        // The run's users are v<run id>-<n>; every message of the run has one of them as its sender.
        var runUser = $"v{options.RunId}-";
        foreach (var e in events.All())
        {
            if (e.Type != StreamEvent.MessageStored || e.From?.StartsWith(runUser, StringComparison.Ordinal) != true)
            {
                continue;
            }

            findings.Events++;
            if (e.MessageId is null || !mustHaveEvent.Contains(e.MessageId))
            {
                findings.EventsWithoutMessage++;
                findings.Note($"events: {e.Id} names message {e.MessageId ?? "(none)"} from {e.From}, which was neither ACKed nor stored");
            }
        }
    }

    /// <summary>
    /// A group event's seq is the timeline's (the ACK's seq). A 1:1 event's seq is the recipient's copy's (the ACK's peerSeq,
    /// when it gave one) and its senderSeq the sender's (the ACK's seq; absent on a sharded store, whose sender's copy is a
    /// later step).
    /// </summary>
    private static bool SeqsAgree(SentMessage sent, StreamEvent e)
    {
        if (sent.AckSeqConversation?.StartsWith(GroupMessages.Timeline(""), StringComparison.Ordinal) == true)
        {
            return e.Seq == sent.AckSeq;
        }

        return (sent.PeerSeqConversation is null || e.Seq == sent.PeerSeq) && (e.SenderSeq is null || e.SenderSeq == sent.AckSeq);
    }
}
