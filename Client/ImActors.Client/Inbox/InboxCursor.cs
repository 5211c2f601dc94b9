using ImActors.Protocol.Frames;

namespace ImActors.Client.Inbox;

/// <summary>
/// Turns pushes and sync pages, which may arrive out of order or twice, into the inbox in seq order,
/// each message once. Used from the receive loop only.
/// </summary>
internal sealed class InboxCursor(long last)
{
    // null value: a seq this device already knows (its own send, ACKed) and does not hand to the app.
    private readonly SortedDictionary<long, MessageFrame?> _ahead = new();

    /// <summary>Every seq up to here has been handed over (or was known already).</summary>
    public long Last { get; private set; } = last;

    /// <summary>Some seqs after <see cref="Last"/> are held back waiting for the ones before them.</summary>
    public bool HasGap => _ahead.Count > 0;

    public void Accept(MessageFrame message, List<MessageFrame> ready) => Add(message.Seq, message, ready);

    /// <summary>A seq this device produced itself (the ACK of its send): counts as held, is not handed over.</summary>
    public void AcceptOwn(long seq, List<MessageFrame> ready) => Add(seq, null, ready);

    /// <summary>
    /// The server has nothing between <see cref="Last"/> and <paramref name="seq"/> (trimmed by retention):
    /// move on instead of waiting forever.
    /// </summary>
    public void SkipTo(long seq, List<MessageFrame> ready)
    {
        if (seq > Last)
        {
            Last = seq;
            foreach (var stale in _ahead.Keys.Where(k => k <= seq).ToList())
            {
                _ahead.Remove(stale);
            }

            Drain(ready);
        }
    }

    /// <summary>Gives up waiting for the seqs before the first one held.</summary>
    public void SkipToFirstHeld(List<MessageFrame> ready)
    {
        if (_ahead.Count > 0)
        {
            SkipTo(_ahead.Keys.First() - 1, ready);
        }
    }

    private void Add(long seq, MessageFrame? message, List<MessageFrame> ready)
    {
        if (seq <= Last)
        {
            return;
        }

        _ahead.TryAdd(seq, message);
        Drain(ready);
    }

    private void Drain(List<MessageFrame> ready)
    {
        while (_ahead.Remove(Last + 1, out var next))
        {
            Last++;
            if (next is not null)
            {
                ready.Add(next);
            }
        }
    }
}
