namespace ImActors.Grains.Groups;

/// <summary>The scripts that change a group: each one atomic, so a membership change and its timeline event never part.</summary>
internal static class GroupScripts
{
    // KEYS: 1 dedup(sender, cmid), 2 seq, 3 log, 4 sender's read cursors, 5 group's read cursors
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 read field ("g:group"),
    //       7 sender ('' for a business service), 8 "1" to dedup
    // Returns {duplicate (0/1), "id|ts|seq|seq"}. The sender has read the timeline up to their own message.
    public const string Append = """
        if ARGV[8] == '1' then
          local prior = redis.call('GET', KEYS[1])
          if prior then
            return {1, prior}
          end
        end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('ZADD', KEYS[3], seq, ARGV[1])
        local max = tonumber(ARGV[4])
        local n = redis.call('ZCARD', KEYS[3])
        if n > max then
          redis.call('ZREMRANGEBYRANK', KEYS[3], 0, n - max - 1)
        end
        if ARGV[7] ~= '' then
          redis.call('HSET', KEYS[4], ARGV[6], seq)
          redis.call('HSET', KEYS[5], ARGV[7], seq)
        end
        local ack = ARGV[2] .. '|' .. ARGV[3] .. '|' .. seq .. '|' .. seq
        if ARGV[8] == '1' then
          redis.call('SET', KEYS[1], ack, 'EX', tonumber(ARGV[5]))
        end
        return {0, ack}
        """;

    // KEYS: 1 seq, 2 log, 3 members, 4 meta, 5 group's read cursors, then per user: groups(u), read cursors(u), presence(u)
    // ARGV: 1 event entry ('' for none), 2 max entries, 3 group id, 4 number of meta pairs, then the meta pairs,
    //       then per user: op, user, value. Ops: 'a' add (value "role|muted"; the joined seq is appended),
    //       'u' update (value "role|muted|joinedSeq"), 'd' delete.
    // Returns {event seq (or the current seq without an event), presence of each added user ('' if none)...}.
    public const string Change = """
        local seq
        if ARGV[1] ~= '' then
          seq = redis.call('INCR', KEYS[1])
          redis.call('ZADD', KEYS[2], seq, ARGV[1])
          local max = tonumber(ARGV[2])
          local n = redis.call('ZCARD', KEYS[2])
          if n > max then
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - max - 1)
          end
        else
          seq = tonumber(redis.call('GET', KEYS[1]) or '0')
        end
        local group = ARGV[3]
        local metaPairs = tonumber(ARGV[4])
        for i = 1, metaPairs do
          redis.call('HSET', KEYS[4], ARGV[3 + 2 * i], ARGV[4 + 2 * i])
        end
        local result = {seq}
        local base = 5 + 2 * metaPairs
        local users = (#ARGV - base + 1) / 3
        for i = 1, users do
          local op = ARGV[base + 3 * (i - 1)]
          local user = ARGV[base + 3 * (i - 1) + 1]
          local value = ARGV[base + 3 * (i - 1) + 2]
          local k = 5 + 3 * (i - 1)
          if op == 'a' then
            redis.call('HSET', KEYS[3], user, value .. '|' .. seq)
            redis.call('SADD', KEYS[k + 1], group)
            redis.call('HSET', KEYS[k + 2], 'g:' .. group, seq - 1)
            redis.call('HSET', KEYS[k + 2], 'f:' .. group, seq - 1)
            table.insert(result, redis.call('GET', KEYS[k + 3]) or '')
          elseif op == 'u' then
            redis.call('HSET', KEYS[3], user, value)
          else
            redis.call('HDEL', KEYS[3], user)
            redis.call('SREM', KEYS[k + 1], group)
            redis.call('HDEL', KEYS[k + 2], 'g:' .. group, 'f:' .. group)
            redis.call('HDEL', KEYS[5], user)
          end
        end
        return result
        """;
}
