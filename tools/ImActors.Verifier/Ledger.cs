using System.Collections.Concurrent;

namespace ImActors.Verifier;

/// <summary>One send of the run and what came of it.</summary>
/// <param name="Conversations">Every conversation (inbox, later group timeline) that must hold the message exactly once when it is ACKed.</param>
public sealed class SentMessage(string clientMessageId, string sender, IReadOnlyList<string> conversations, DateTime? startedAt = null)
{
    public string ClientMessageId { get; } = clientMessageId;

    public string Sender { get; } = sender;

    public IReadOnlyList<string> Conversations { get; } = conversations;

    /// <summary>When the first attempt started (UTC), to line slow ACKs up with what broke at that moment.</summary>
    public DateTime StartedAt { get; } = startedAt ?? DateTime.UtcNow;

    public bool Acked { get; private set; }

    public string? MessageId { get; private set; }

    /// <summary>The seq the ACK gave, in the conversation named by <see cref="AckSeqConversation"/>.</summary>
    public long AckSeq { get; private set; }

    public string? AckSeqConversation { get; private set; }

    /// <summary>A 1:1 message's seq in the recipient's inbox, as the ACK gave it (0 when it gave none).</summary>
    public long PeerSeq { get; private set; }

    public string? PeerSeqConversation { get; private set; }

    /// <summary>The seq the ACK gave this message in <paramref name="conversation"/>, or null when it named none there.</summary>
    public long? SeqIn(string conversation) =>
        conversation == AckSeqConversation ? AckSeq : conversation == PeerSeqConversation ? PeerSeq : null;

    /// <summary>From the first attempt to the ACK, retries and reconnects included.</summary>
    public double WaitMs { get; private set; }

    public void Ack(string messageId, long seq, string seqConversation, double waitMs)
    {
        MessageId = messageId;
        AckSeq = seq;
        AckSeqConversation = seqConversation;
        WaitMs = waitMs;
        Acked = true;
    }

    public void AckPeer(long peerSeq, string peerConversation)
    {
        PeerSeq = peerSeq;
        PeerSeqConversation = peerConversation;
    }
}

/// <summary>Every send of the run, by client message id. Workloads write it; audits read it.</summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, SentMessage> _sent = new();

    public IEnumerable<SentMessage> All => _sent.Values;

    public SentMessage Record(string clientMessageId, string sender, IReadOnlyList<string> conversations)
    {
        var sent = new SentMessage(clientMessageId, sender, conversations);
        if (!_sent.TryAdd(clientMessageId, sent))
        {
            throw new InvalidOperationException($"client message id {clientMessageId} recorded twice");
        }

        return sent;
    }

    public SentMessage? Find(string clientMessageId) => _sent.GetValueOrDefault(clientMessageId);

    /// <summary>The sends each conversation must (if ACKed) or may (if not) hold.</summary>
    public Dictionary<string, List<SentMessage>> ByConversation() =>
        _sent.Values
            .SelectMany(m => m.Conversations.Select(c => (c, m)))
            .GroupBy(x => x.c)
            .ToDictionary(g => g.Key, g => g.Select(x => x.m).ToList());
}
