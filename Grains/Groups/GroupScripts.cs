using ImActors.Grains.Inbox;

namespace ImActors.Grains.Groups;

/// <summary>
/// The scripts that change a group: each one atomic, so a membership change and its timeline event never part.
/// Each touches the group's keys only (one hash tag, so one slot of a sharded store); a membership change is
/// followed by one step per changed member over that member's keys (decision 82).
/// </summary>
internal static class GroupScripts
{
    // KEYS: 1 dedup(group, sender, cmid), 2 seq, 3 floor, 4 the sender's read cursor, 5 the group's event outbox
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 entry prefix,
    //       7 "1" when the sender is a member ("0" for a business service), 8 "1" to dedup,
    //       9 the open draft of the message's event ('' for none)
    // Returns {duplicate (0/1), "id|ts|seq|seq"}. The sender has read the timeline up to their own message.
    public const string Append = LogScripts.Put + Events.OutboxScripts.Emit + """

        if ARGV[8] == '1' then
          local prior = redis.call('GET', KEYS[1])
          if prior then
            return {1, prior}
          end
        end
        local seq = redis.call('INCR', KEYS[2])
        put(ARGV[6], KEYS[3], seq, ARGV[1], tonumber(ARGV[4]))
        if ARGV[7] == '1' then
          redis.call('SET', KEYS[4], seq)
        end
        local ack = ARGV[2] .. '|' .. ARGV[3] .. '|' .. seq .. '|' .. seq
        if ARGV[8] == '1' then
          redis.call('SET', KEYS[1], ack, 'EX', tonumber(ARGV[5]))
        end
        emit(KEYS[5], ARGV[9], ',"seq":' .. seq .. '}')
        return {0, ack}
        """;

    // KEYS: 1 seq, 2 floor, 3 members, 4 meta, 5 the group's event outbox, then per user: u's read cursor
    // ARGV: 1 event entry ('' for none), 2 max entries, 3 group id, 4 entry prefix, 5 the open draft of the change's
    //       event ('' for none), 6 number of meta pairs, then the meta pairs, then per user: op, user, value. Ops: 'a' add (value "role|muted"; the joined seq is appended),
    //       'u' update (value "role|muted|joinedSeq"), 'd' delete.
    // Returns the event's seq (or the current seq without an event). The members' own sets of groups are changed
    // after it, one user's keys per step (MemberGroups).
    // An added member's history starts after the seq before the event (joinedSeq - 1); their read cursor starts there too.
    public const string Change = LogScripts.Put + Events.OutboxScripts.Emit + """

        local seq
        if ARGV[1] ~= '' then
          seq = redis.call('INCR', KEYS[1])
          put(ARGV[4], KEYS[2], seq, ARGV[1], tonumber(ARGV[2]))
          emit(KEYS[5], ARGV[5], ',"seq":' .. seq .. '}')
        else
          seq = tonumber(redis.call('GET', KEYS[1]) or '0')
        end
        local metaPairs = tonumber(ARGV[6])
        for i = 1, metaPairs do
          redis.call('HSET', KEYS[4], ARGV[5 + 2 * i], ARGV[6 + 2 * i])
        end
        local base = 7 + 2 * metaPairs
        local users = (#ARGV - base + 1) / 3
        for i = 1, users do
          local op = ARGV[base + 3 * (i - 1)]
          local user = ARGV[base + 3 * (i - 1) + 1]
          local value = ARGV[base + 3 * (i - 1) + 2]
          if op == 'a' then
            redis.call('HSET', KEYS[3], user, value .. '|' .. seq)
          elseif op == 'u' then
            redis.call('HSET', KEYS[3], user, value)
          else
            redis.call('HDEL', KEYS[3], user)
            redis.call('DEL', KEYS[5 + i])
          end
        end
        return seq
        """;

    // One member's set of groups, after a membership change of the group. KEYS: 1 the user's groups, 2 the user's
    // sessions. ARGV: 1 group, 2 "1" to add, "0" to remove.
    // Returns the user's sessions for an add (none for a removal): an add reads them in the same step as it writes the
    // group, and a login writes its session and reads the groups in one step too (SessionScripts.Connect), so whichever
    // runs second sees the other.
    public const string MemberGroups = """
        if ARGV[2] == '1' then
          redis.call('SADD', KEYS[1], ARGV[1])
          return redis.call('HVALS', KEYS[2])
        end
        redis.call('SREM', KEYS[1], ARGV[1])
        return {}
        """;

    // KEYS: 1 members, 2 the member's read cursor, 3 seq. ARGV: 1 user, 2 seq.
    // Moves the cursor forward, never past the group's last seq nor back before where the member's history starts.
    // Returns {read cursor, group's last seq}, or {-1, 0} for a non-member.
    public const string MarkRead = """
        local member = redis.call('HGET', KEYS[1], ARGV[1])
        if not member then
          return {-1, 0}
        end
        local first = tonumber(string.match(member, '|(%d+)$')) - 1
        local last = tonumber(redis.call('GET', KEYS[3]) or '0')
        local s = math.min(tonumber(ARGV[2]), last)
        local cur = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), first)
        if s > cur then
          redis.call('SET', KEYS[2], s)
          cur = s
        end
        return {cur, last}
        """;
}
