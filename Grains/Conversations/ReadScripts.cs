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

    // KEYS: 1 user's groups, 2 user's read cursor of the group, 3 group seq. ARGV: 1 group, 2 seq.
    // Returns {read cursor, group's last seq}, or {-1, 0} when the user is not a member.
    public const string MarkGroup = """
        if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
          return {-1, 0}
        end
        local last = tonumber(redis.call('GET', KEYS[3]) or '0')
        local s = tonumber(ARGV[2])
        if s > last then
          s = last
        end
        local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
        if s > cur then
          redis.call('SET', KEYS[2], s)
          cur = s
        end
        return {cur, last}
        """;
}
