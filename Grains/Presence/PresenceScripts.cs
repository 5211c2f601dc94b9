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

    // KEYS: 1 reported online, 2 the user's event outbox. ARGV: 1 the user.offline event.
    // The stream hears "offline" only after an "online" it was told.
    public const string Offline = """
        if redis.call('DEL', KEYS[1]) == 1 then
          redis.call('RPUSH', KEYS[2], ARGV[1])
        end
        return 0
        """;
}
