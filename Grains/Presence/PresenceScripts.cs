namespace ImActors.Grains.Presence;

/// <summary>The user's presence keys (<see cref="PresenceKeys"/>) read in one store step when the user's grain activates.</summary>
internal static class PresenceScripts
{
    // KEYS: 1 last seen, 2 watchers. Returns {last seen or '', edge, generation, edge, generation...}.
    public const string Load = """
        local result = redis.call('HGETALL', KEYS[2])
        table.insert(result, 1, redis.call('GET', KEYS[1]) or '')
        return result
        """;
}
