namespace ImActors.Verifier.Audit;

/// <summary>
/// Which message id the run's clients were shown at each seq of each conversation: live pushes, synced history
/// and ACKs. The final store cannot tell on its own that a seq was handed out twice (an uncommitted tail lost in
/// a crash, its seqs then given to later messages): it ends up gap-free, while a device that saw the lost message
/// at seq N skips the new one at N as already seen. Comparing what clients were shown with the store can.
/// </summary>
public sealed class ObservedSeqs
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ObservedConversation> _conversations = [];

    /// <param name="conversation">The audit's name of the log (<c>inbox:USER</c>, <c>group:GROUP</c>).</param>
    public void Record(string conversation, long seq, string messageId)
    {
        lock (_lock)
        {
            if (!_conversations.TryGetValue(conversation, out var observed))
            {
                observed = new ObservedConversation();
                _conversations.Add(conversation, observed);
            }

            observed.Record(seq, messageId);
        }
    }

    /// <summary>What was shown of <paramref name="conversation"/>; null when no client saw any of it.</summary>
    public ObservedConversation? Of(string conversation)
    {
        lock (_lock)
        {
            return _conversations.GetValueOrDefault(conversation);
        }
    }
}

/// <summary>What the run's clients were shown of one conversation, by seq.</summary>
public sealed class ObservedConversation
{
    // One id per seq, however many devices saw it and whether an ACK named it too: a few hundred thousand
    // observations fit in tens of MB, and the id strings are the ones the SDK or the ledger already hold.
    private readonly Dictionary<long, string> _ids = [];
    private readonly Dictionary<long, string> _reused = [];

    /// <summary>The first message id shown at each seq.</summary>
    public IReadOnlyDictionary<long, string> Ids => _ids;

    /// <summary>Seqs shown with a second, different message id during the run, and that id.</summary>
    public IReadOnlyDictionary<long, string> Reused => _reused;

    internal void Record(long seq, string messageId)
    {
        if (!_ids.TryAdd(seq, messageId) && _ids[seq] != messageId)
        {
            _reused.TryAdd(seq, messageId);
        }
    }
}
