namespace ImActors.Grains.Users;

/// <summary>
/// Stores the set of edges holding a user's devices and returns the user's groups, atomically. A group adding
/// the user reads the same key in its own script, so whichever runs second sees the other's write: a member
/// who connects while being added is either told of the group by their login or added on their edge by the
/// group (decision 81).
/// </summary>
internal static class PresenceScript
{
    // KEYS: 1 user's presence ("edge1,edge2"), 2 user's groups. ARGV: 1 edges, comma-separated and sorted.
    // Returns the user's groups. Writes only when the edge set changed.
    public const string Source = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[1])
        end
        return redis.call('SMEMBERS', KEYS[2])
        """;

    /// <summary>The edges in a stored presence value (values written before decision 81 start with "version|").</summary>
    public static string[] Edges(string stored)
    {
        var edges = stored[(stored.IndexOf('|') + 1)..];
        return edges.Length == 0 ? [] : edges.Split(',');
    }
}
