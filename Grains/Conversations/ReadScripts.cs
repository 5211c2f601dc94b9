namespace ImActors.Grains.Conversations;

/// <summary>Read cursors only move forward, whichever device or grain writes them, so each update is a compare-and-set script.</summary>
internal static class ReadScripts
{
    // KEYS: 1 user's read cursor of the peer, 2 user's unread set for the peer. ARGV: 1 seq.
    // Returns {read cursor, unread count}.
    public const string MarkDirect = """
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        local s = tonumber(ARGV[1])
        if s > cur then
          redis.call('SET', KEYS[1], s)
          cur = s
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cur)
        return {cur, redis.call('ZCARD', KEYS[2])}
        """;
}
