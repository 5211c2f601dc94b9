using StackExchange.Redis;

namespace ImActors.Grains.Events.Stream;

/// <summary>
/// Where one reader stands in one outbox list, in absolute positions (entries since the list's first, see
/// <see cref="OutboxScripts.Read"/>): the next to read, the ones read and not yet delivered, and the ones to read again.
/// Everything before <see cref="Floor"/> was delivered, so that is how far the list may be trimmed.
/// </summary>
internal sealed class OutboxListCursor(RedisKey list)
{
    public RedisKey List { get; } = list;

    public RedisKey TrimmedCounter { get; } = OutboxKeys.TrimmedCounterOf(list);

    /// <summary>The next entry to read; 0 at first, which the store reads as the list's head.</summary>
    public long Next { get; private set; }

    // How far this reader last trimmed the list (or saw it trimmed).
    private long _trimmedTo;

    // Read and not yet delivered: in Orleans' cache, or dropped from it undelivered and waiting in _again.
    private readonly SortedSet<long> _held = [];
    private readonly SortedSet<long> _again = [];

    /// <summary>Positions whose delivery failed, to be read again at the next poll.</summary>
    public IReadOnlyCollection<long> Again => _again;

    // Every held position is below Next.
    public long Floor => _held.Count > 0 ? _held.Min : Next;

    /// <summary>Whether a trim to <see cref="Floor"/> would remove something this reader has not seen removed.</summary>
    public bool CanTrim => Floor > _trimmedTo;

    /// <summary>
    /// <paramref name="count"/> entries from <paramref name="first"/> on were read, with the list trimmed to
    /// <paramref name="trimmed"/> (by this reader or another).
    /// </summary>
    public void Read(long trimmed, long first, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _held.Add(first + i);
        }

        Next = Math.Max(Next, first + count);
        Trimmed(trimmed);
    }

    /// <summary>The positions in <see cref="Again"/> were read again (or found trimmed, which <paramref name="gone"/> lists).</summary>
    public void ReadAgain(IEnumerable<long> gone)
    {
        foreach (var position in gone)
        {
            _held.Remove(position);
        }

        _again.Clear();
    }

    public void Delivered(long position) => _held.Remove(position);

    /// <summary>Orleans dropped the entry from its cache without delivering it (its consumer kept failing): read it again.</summary>
    public void Failed(long position) => _again.Add(position);

    public void Trimmed(long counter) => _trimmedTo = Math.Max(_trimmedTo, counter);
}
