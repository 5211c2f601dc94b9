using ImActors.Verifier;
using ImActors.Verifier.Audit;
using ImActors.Verifier.Events;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The event audit's rules on a ledger and events made by hand, no cluster: what a drill could only show by luck (an
/// event lost, written twice, invented, or with the wrong seq) must each be counted.
/// </summary>
public sealed class EventAuditTests
{
    private const string RunId = "audit";

    [Fact]
    public async Task EveryAckedMessageWithOneEvent_IsClean_AndRepeatsOfOneEventIdAreAllowed()
    {
        var (ledger, events, findings) = Run(acked: 2);
        events.Take(Stored("e1", "m1", seq: 1, senderSeq: 1));
        events.Take(Stored("e1", "m1", seq: 1, senderSeq: 1));
        events.Take(Stored("e2", "m2", seq: 2, senderSeq: 2));

        await CheckAsync(ledger, events, findings);

        Assert.True(findings.Clean, string.Join("\n", findings.Examples));
        Assert.Equal(2, findings.Events);
        Assert.Equal(1, findings.EventRepeats);
    }

    [Fact]
    public async Task MissingTwiceInventedAndMisplacedEvents_AreEachCounted()
    {
        var (ledger, events, findings) = Run(acked: 3);
        // m1: two events with different ids; m2: none; m3: the wrong seq; m9: a message nobody sent or stored.
        events.Take(Stored("e1", "m1", seq: 1, senderSeq: 1));
        events.Take(Stored("e1b", "m1", seq: 1, senderSeq: 1));
        events.Take(Stored("e3", "m3", seq: 7, senderSeq: 3));
        events.Take(Stored("e9", "m9", seq: 9, senderSeq: 9));

        await CheckAsync(ledger, events, findings);

        Assert.False(findings.Clean);
        Assert.Equal(1, findings.EventsDuplicated);
        Assert.Equal(1, findings.EventsMissing);
        Assert.Equal(1, findings.EventsMismatched);
        Assert.Equal(1, findings.EventsWithoutMessage);
    }

    [Fact]
    public async Task AnUnackedMessageTheStoreHolds_NeedsItsEventToo()
    {
        var (ledger, events, findings) = Run(acked: 1);
        ledger.Record("never-acked", Sender, [Inbox(Recipient), Inbox(Sender)]);
        findings.StoredMessageIds.Add("m-unacked");
        events.Take(Stored("e1", "m1", seq: 1, senderSeq: 1));

        await CheckAsync(ledger, events, findings);

        Assert.Equal(1, findings.EventsMissing);
    }

    private static string Sender => $"v{RunId}-0";

    private static string Recipient => $"v{RunId}-1";

    private static string Inbox(string user) => "inbox:" + user;

    /// <summary>A ledger of 1:1 sends m1..mN, ACKed at seq n in both inboxes, and each held by the store.</summary>
    private static (Ledger, ReceivedEvents, AuditFindings) Run(int acked)
    {
        var ledger = new Ledger();
        var findings = new AuditFindings();
        for (var n = 1; n <= acked; n++)
        {
            var sent = ledger.Record($"{Sender}-{n}", Sender, [Inbox(Recipient), Inbox(Sender)]);
            sent.Ack($"m{n}", n, Inbox(Sender), waitMs: 1);
            sent.AckPeer(n, Inbox(Recipient));
            findings.StoredMessageIds.Add($"m{n}");
        }

        return (ledger, new ReceivedEvents(), findings);
    }

    private static StreamEvent Stored(string id, string messageId, long seq, long senderSeq) =>
        new(id, StreamEvent.MessageStored, 0, User: Recipient, From: Sender, MessageId: messageId, Seq: seq, SenderSeq: senderSeq);

    private static Task CheckAsync(Ledger ledger, ReceivedEvents events, AuditFindings findings) =>
        EventAudit.CheckAsync(new VerifierOptions { RunId = RunId }, ledger, events, findings, quiet: TimeSpan.Zero, CancellationToken.None);
}
