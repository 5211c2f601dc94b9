namespace ImActors.Client.Inbox;

/// <summary>
/// The device's position in each conversation log it reads: the inbox, and every group timeline (read
/// diffusion: a group's messages are read from the group, not copied to the inbox). Also remembers which
/// logs have a sync in flight, so a burst of out-of-order pushes asks once. Used from the receive loop only,
/// except <see cref="Snapshot"/>.
/// </summary>
internal sealed class CursorSet(long inboxStart, IReadOnlyDictionary<string, long>? groupStarts)
{
    /// <summary>The key of the inbox among sync keys; group ids are the others.</summary>
    public const string InboxKey = "";

    private readonly Dictionary<string, InboxCursor> _groups =
        (groupStarts ?? new Dictionary<string, long>()).ToDictionary(g => g.Key, g => new InboxCursor(g.Value));
    private readonly HashSet<string> _syncing = new();
    private readonly Lock _lock = new();

    public InboxCursor Inbox { get; } = new(inboxStart);

    public InboxCursor? Group(string group) => _groups.GetValueOrDefault(group);

    /// <summary>The group's cursor, started after <paramref name="start"/> when the group is new to this device.</summary>
    public InboxCursor GetOrAddGroup(string group, long start)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(group, out var cursor))
            {
                _groups[group] = cursor = new InboxCursor(start);
            }

            return cursor;
        }
    }

    public void RemoveGroup(string group)
    {
        lock (_lock)
        {
            _groups.Remove(group);
        }
    }

    public InboxCursor Of(string key) => key == InboxKey ? Inbox : _groups[key];

    public bool IsSyncing(string key) => _syncing.Contains(key);

    public void StartSync(string key) => _syncing.Add(key);

    public void EndSync(string key) => _syncing.Remove(key);

    /// <summary>A new connection: syncs in flight on the old one will not be answered.</summary>
    public void ResetSyncs() => _syncing.Clear();

    public IReadOnlyDictionary<string, long> Snapshot()
    {
        lock (_lock)
        {
            return _groups.ToDictionary(g => g.Key, g => g.Value.Last);
        }
    }
}
