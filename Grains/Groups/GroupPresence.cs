using System.Globalization;

namespace ImActors.Grains.Groups;

/// <summary>
/// Which edges hold online members of one group, learned from members' user grains as sessions come and
/// go (never by asking members per message). Kept in memory only: a group that activates reads its
/// members' published presence once. Each edge's user array is cached until a member on that edge comes
/// or goes, so a send allocates nothing here and churn on one edge does not rebuild the others.
/// </summary>
internal sealed class GroupPresence
{
    private readonly Dictionary<string, (long Version, string[] Edges)> _byUser = new();
    private readonly Dictionary<string, HashSet<string>> _usersByEdge = new();
    private readonly Dictionary<string, string[]> _arrays = new();
    private List<(string Edge, string[] Users)>? _targets;

    public int OnlineUsers => _byUser.Count(p => p.Value.Edges.Length > 0);

    /// <summary>Applies a published presence "version|edge1,edge2".</summary>
    public void Apply(string user, string published)
    {
        var bar = published.IndexOf('|');
        if (bar <= 0 || !long.TryParse(published.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return;
        }

        var edges = published[(bar + 1)..];
        Set(user, version, edges.Length == 0 ? [] : edges.Split(','));
    }

    /// <summary>Sets a user's edges; an update older than the one held is ignored (one-way calls may arrive out of order).</summary>
    public void Set(string user, long version, string[] edges)
    {
        if (_byUser.TryGetValue(user, out var current))
        {
            if (current.Version >= version)
            {
                return;
            }

            Unindex(user, current.Edges);
        }

        _byUser[user] = (version, edges);
        foreach (var edge in edges)
        {
            if (!_usersByEdge.TryGetValue(edge, out var users))
            {
                _usersByEdge[edge] = users = [];
            }

            users.Add(user);
            Changed(edge);
        }
    }

    /// <summary>Forgets a user who left or was removed: they stop receiving at once.</summary>
    public void Remove(string user)
    {
        if (_byUser.Remove(user, out var current))
        {
            Unindex(user, current.Edges);
        }
    }

    /// <summary>Each edge with online members, and those members.</summary>
    public IReadOnlyList<(string Edge, string[] Users)> Targets()
    {
        if (_targets is null)
        {
            _targets = new List<(string, string[])>(_usersByEdge.Count);
            foreach (var (edge, users) in _usersByEdge)
            {
                if (!_arrays.TryGetValue(edge, out var array))
                {
                    _arrays[edge] = array = users.ToArray();
                }

                _targets.Add((edge, array));
            }
        }

        return _targets;
    }

    private void Changed(string edge)
    {
        _arrays.Remove(edge);
        _targets = null;
    }

    private void Unindex(string user, string[] edges)
    {
        foreach (var edge in edges)
        {
            if (_usersByEdge.TryGetValue(edge, out var users))
            {
                users.Remove(user);
                if (users.Count == 0)
                {
                    _usersByEdge.Remove(edge);
                }

                Changed(edge);
            }
        }
    }
}
