namespace ImActors.Grains.Users;

/// <summary>
/// Publishes the set of edges holding a user's devices and returns the user's groups, atomically. A group
/// adding the user reads the same key in its own script, so whichever runs second sees the other's write:
/// a member who connects while being added is never missed by the group's fan-out.
/// </summary>
internal static class PresenceScript
{
    // KEYS: 1 user's presence ("version|edge1,edge2"), 2 user's groups. ARGV: 1 edges, comma-separated and sorted.
    // Returns {version, group...}, or {0} when the edge set did not change.
    public const string Source = """
        local old = redis.call('GET', KEYS[1])
        local version = 0
        if old then
          local bar = string.find(old, '|', 1, true)
          version = tonumber(string.sub(old, 1, bar - 1))
          if string.sub(old, bar + 1) == ARGV[1] then
            return {0}
          end
        end
        version = version + 1
        redis.call('SET', KEYS[1], version .. '|' .. ARGV[1])
        local result = redis.call('SMEMBERS', KEYS[2])
        table.insert(result, 1, version)
        return result
        """;
}
