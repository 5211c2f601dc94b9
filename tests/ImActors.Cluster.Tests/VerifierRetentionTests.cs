using ImActors.Verifier;
using ImActors.Verifier.Audit;

namespace ImActors.Cluster.Tests;

/// <summary>
/// The audit tells retention from loss: a conversation the server says it trimmed up to seq T may miss what was stored
/// at or below T, and nothing else. No cluster needed: the audit's rules on conversations built by hand.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class VerifierRetentionTests
{
    private const string Timeline = "group:team";

    [Fact]
    public void MissingMessagesAtOrBelowTheTrimmedSeq_AreTrimmed_NotLostNorGaps()
    {
        var sent = Acked(5, Timeline);

        var findings = Audit(sent, held: [4, 5], trimmedTo: 3);

        Assert.Equal((0, 0, 3), (findings.Lost, findings.Gaps, findings.Trimmed));
        Assert.True(findings.Clean);
    }

    [Fact]
    public void WithoutTheTrimmedSeq_TheSameConversation_IsLoss()
    {
        var findings = Audit(Acked(5, Timeline), held: [4, 5], trimmedTo: 0);

        Assert.Equal((3, 3, 0), (findings.Lost, findings.Gaps, findings.Trimmed));
        Assert.False(findings.Clean);
    }

    [Fact]
    public void A_MessageMissingAboveTheTrimmedSeq_IsStillLost()
    {
        var findings = Audit(Acked(6, Timeline), held: [3, 5, 6], trimmedTo: 2);

        Assert.Equal((1, 1, 2), (findings.Lost, findings.Gaps, findings.Trimmed));
        Assert.Contains($"{Timeline}: ACKed c4 (m4) missing", findings.Examples);
    }

    [Fact]
    public void WhereTheAckNamesNoSeqHere_OnlyMessagesAckedBeforeTheFirstKeptWasSent_CountAsTrimmed()
    {
        // The sender's own copies: the ACKs named seqs of another conversation (the recipient's inbox).
        const string ownInbox = "inbox:ann";
        var start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var early = Sent("c1", ownInbox, "inbox:bob", ackSeq: 1, startedAt: start, waitMs: 5);
        var overlapping = Sent("c2", ownInbox, "inbox:bob", ackSeq: 2, startedAt: start.AddMilliseconds(8), waitMs: 50);
        var firstKept = Sent("c3", ownInbox, "inbox:bob", ackSeq: 3, startedAt: start.AddMilliseconds(10), waitMs: 5);
        var findings = new AuditFindings();

        ConversationAudit.Check(ownInbox, [new StoredEntry(3, "m3", "c3")], 3, [early, overlapping, firstKept], null, findings, trimmedTo: 2);

        // c2's ACK came after c3 was first sent: its copy could sit above c3, so its absence cannot be put on retention.
        Assert.Equal((1, 1), (findings.Trimmed, findings.Lost));
        Assert.Contains($"{ownInbox}: ACKed c2 (m2) missing", findings.Examples);
    }

    [Fact]
    public void In_TheRecipientsInbox_ThePeerSeqOfTheAck_Decides_WhateverTheTiming()
    {
        // The soak's case: two senders' messages to one inbox, sent at the same moment around the trimmed seq.
        const string inbox = "inbox:bob";
        var start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var trimmed = Sent("c1", inbox, "inbox:ann", ackSeq: 40, startedAt: start, waitMs: 50);
        trimmed.AckPeer(2, inbox);
        var firstKept = Sent("c3", inbox, "inbox:cat", ackSeq: 7, startedAt: start.AddMilliseconds(1), waitMs: 5);
        firstKept.AckPeer(3, inbox);
        var findings = new AuditFindings();

        ConversationAudit.Check(inbox, [new StoredEntry(3, "m3", "c3")], 3, [trimmed, firstKept], null, findings, trimmedTo: 2);

        Assert.Equal((1, 0, 0), (findings.Trimmed, findings.Lost, findings.Mismatched));
    }

    [Fact]
    public void In_TheRecipientsInbox_ACopyHeldAtAnotherSeqThanThePeerSeq_IsMismatched()
    {
        const string inbox = "inbox:bob";
        var sent = Sent("c1", inbox, "inbox:ann", ackSeq: 40, startedAt: DateTime.UtcNow, waitMs: 5);
        sent.AckPeer(1, inbox);
        var findings = new AuditFindings();

        ConversationAudit.Check(inbox, [new StoredEntry(1, "m0", "c0", ServerEvent: true), new StoredEntry(2, "m1", "c1")], 2, [sent], null, findings);

        Assert.Equal(1, findings.Mismatched);
    }

    private static AuditFindings Audit(List<SentMessage> sent, long[] held, long trimmedTo)
    {
        var findings = new AuditFindings();
        var entries = held.Select(s => new StoredEntry(s, $"m{s}", $"c{s}")).ToList();
        ConversationAudit.Check(Timeline, entries, sent.Count, sent, null, findings, trimmedTo);
        return findings;
    }

    /// <summary>Messages 1..n, each ACKed at its own seq of <paramref name="conversation"/>.</summary>
    private static List<SentMessage> Acked(int n, string conversation) =>
        Enumerable.Range(1, n).Select(i => Sent($"c{i}", conversation, conversation, i, DateTime.UtcNow, 1)).ToList();

    private static SentMessage Sent(string cmid, string conversation, string ackConversation, long ackSeq, DateTime startedAt, double waitMs)
    {
        var sent = new SentMessage(cmid, "ann", [conversation], startedAt);
        sent.Ack($"m{cmid[1..]}", ackSeq, ackConversation, waitMs);
        return sent;
    }
}
