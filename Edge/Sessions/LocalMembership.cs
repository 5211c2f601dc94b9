namespace ImActors.Edge.Sessions;

/// <summary>
/// Who of each group is connected to this edge, both ways: members by group (what a group push is written to) and
/// groups by user (what a user's last connection leaves). Not thread-safe: <see cref="LocalGroups"/> holds its
/// lock around every use.
/// </summary>
internal sealed class LocalMembership
{
    private readonly Dictionary<string, Entry> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _groupsOfUser = new(StringComparer.Ordinal);

    /// <summary>Groups with a member here.</summary>
    public int Count => _groups.Count;

    public bool Contains(string group) => _groups.ContainsKey(group);

    /// <summary>The group's members here, as an array kept until they change (read on every push), or null when none is.</summary>
    public string[]? MembersOf(string group) => _groups.TryGetValue(group, out var entry) ? entry.Array ??= [.. entry.Members] : null;

    /// <summary>A copy of the groups the user is a member of here, or null when none.</summary>
    public List<string>? GroupsOf(string user) => _groupsOfUser.TryGetValue(user, out var groups) ? groups.ToList() : null;

    /// <summary>Files the user under the group (again is fine); returns the group's entry.</summary>
    public Entry Add(string group, string user)
    {
        if (!_groups.TryGetValue(group, out var entry))
        {
            _groups[group] = entry = new Entry();
        }

        if (entry.Members.Add(user))
        {
            entry.Array = null;
        }

        if (!_groupsOfUser.TryGetValue(user, out var groups))
        {
            _groupsOfUser[user] = groups = new HashSet<string>(StringComparer.Ordinal);
        }

        groups.Add(group);
        return entry;
    }

    /// <summary>Removes one member; returns the generation to unsubscribe with when the group has no member left here.</summary>
    public long? Remove(string group, string user)
    {
        ForgetGroupOf(user, group);
        if (!_groups.TryGetValue(group, out var entry) || !entry.Members.Remove(user))
        {
            return null;
        }

        entry.Array = null;
        if (entry.Members.Count > 0)
        {
            return null;
        }

        _groups.Remove(group);
        return entry.Generation;
    }

    /// <summary>Drops the whole group; returns the members it had here, or null when it had none.</summary>
    public IReadOnlyCollection<string>? RemoveGroup(string group)
    {
        if (!_groups.Remove(group, out var entry))
        {
            return null;
        }

        foreach (var user in entry.Members)
        {
            ForgetGroupOf(user, group);
        }

        return entry.Members;
    }

    private void ForgetGroupOf(string user, string group)
    {
        if (_groupsOfUser.TryGetValue(user, out var groups) && groups.Remove(group) && groups.Count == 0)
        {
            _groupsOfUser.Remove(user);
        }
    }

    /// <summary>One group's members here, and this edge's subscription to it.</summary>
    internal sealed class Entry
    {
        public readonly HashSet<string> Members = new(StringComparer.Ordinal);
        public string[]? Array;
        public long Generation;
        public Task? Subscribed;

        /// <summary>Never subscribed, or the last attempt failed.</summary>
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Subscribed))]
        public bool NeedsSubscribing => Subscribed is null || Subscribed.IsFaulted || Subscribed.IsCanceled;
    }
}
