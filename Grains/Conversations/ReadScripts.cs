namespace ImActors.Grains.Conversations;

/// <summary>Read cursors only move forward, whichever device or grain writes them, so each update is a compare-and-set script.</summary>
internal static class ReadScripts
{
    // KEYS: 1 user's read cursors, 2 user's unread set for the peer. ARGV: 1 field ("u:peer"), 2 seq.
    // Returns {read cursor, unread count}.
    public const string MarkDirect = """
        local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        local s = tonumber(ARGV[2])
        if s > cur then
          redis.call('HSET', KEYS[1], ARGV[1], s)
          cur = s
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cur)
        return {cur, redis.call('ZCARD', KEYS[2])}
        """;

    // KEYS: 1 user's groups, 2 user's read cursors, 3 group seq. ARGV: 1 group, 2 field ("g:group"), 3 seq.
    // Returns {read cursor, group's last seq}, or {-1, 0} when the user is not a member.
    public const string MarkGroup = """
        if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
          return {-1, 0}
        end
        local last = tonumber(redis.call('GET', KEYS[3]) or '0')
        local s = tonumber(ARGV[3])
        if s > last then
          s = last
        end
        local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
        if s > cur then
          redis.call('HSET', KEYS[2], ARGV[2], s)
          cur = s
        end
        return {cur, last}
        """;

    // KEYS: 1 hash. ARGV: 1 field, 2 value. Sets the field to the value if that is higher; returns the field's value.
    public const string Max = """
        local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        local s = tonumber(ARGV[2])
        if s > cur then
          redis.call('HSET', KEYS[1], ARGV[1], s)
          return s
        end
        return cur
        """;
}
