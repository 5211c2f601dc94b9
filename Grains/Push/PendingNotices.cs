using ImActors.Grains.Interfaces.Events;

namespace ImActors.Grains.Push;

/// <summary>
/// The messages of each user's open window when notices are coalesced (decision 111): the last message and how many
/// came. Held by the push grain of one queue; a user's messages all go to the same queue, so one holder sees them all.
/// </summary>
internal sealed class PendingNotices
{
    private readonly Dictionary<string, (ImEvent Last, int Count)> _pending = new(StringComparer.Ordinal);

    public int Count => _pending.Count;

    public IReadOnlyList<string> Users => _pending.Keys.ToList();

    /// <summary>Adds a message for <paramref name="user"/>; true when it opens the user's window (the caller starts its timer).</summary>
    public bool Add(string user, ImEvent message)
    {
        if (_pending.TryGetValue(user, out var open))
        {
            _pending[user] = (message, open.Count + 1);
            return false;
        }

        _pending[user] = (message, 1);
        return true;
    }

    /// <summary>Closes the user's window: the notice for its messages, or null when none is open.</summary>
    public ImEvent? Take(string user) =>
        _pending.Remove(user, out var open) ? OfflineNotices.Notice(open.Last, open.Count) : null;
}
