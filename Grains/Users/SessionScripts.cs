namespace ImActors.Grains.Users;

/// <summary>
/// A user's connected devices, one hash field per device (<c>im:{user}:sessions</c>): the one record of where a user
/// is connected (decision 83). A login writes its field and reads the user's groups and inbox seq in one step. A
/// group adding the user writes the group and reads the sessions in one step of the same user's keys
/// (<c>GroupScripts.MemberGroups</c>), so whichever runs second sees the other: a member who connects while being
/// added is either told of the group by their login or filed on their edge by the group (decision 81).
/// </summary>
internal static class SessionScripts
{
    // KEYS: 1 sessions, 2 groups, 3 inbox seq, 4 ban, 5 valid-after, 6 reported online, 7 the user's event outbox.
    // ARGV: 1 device, 2 the session, 3 the token's iat (ms), 4 the user.online event ('' for none).
    // Returns {inbox seq, group...}, or {-1, the ban} for a banned user, or {-2, valid-after} for a token issued before
    // a revocation, registering nothing: the ban, the revocation and the login are steps of the same keys, so a login
    // either sees them or is among the sessions they close (decisions 98, 107).
    // "Online" goes to the stream only when it was last told "offline" (or nothing): a reconnect within the grace is no change.
    public const string Connect = Events.OutboxScripts.Emit + """

        local ban = redis.call('GET', KEYS[4])
        if ban then
          return {-1, ban}
        end
        local revoked = math.max(tonumber(redis.call('HGET', KEYS[5], '*') or '0'), tonumber(redis.call('HGET', KEYS[5], ARGV[1]) or '0'))
        if tonumber(ARGV[3]) < revoked then
          return {-2, revoked}
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if ARGV[4] ~= '' and redis.call('SET', KEYS[6], '1', 'NX') then
          emit(KEYS[7], ARGV[4], '')
        end
        local result = redis.call('SMEMBERS', KEYS[2])
        table.insert(result, 1, tonumber(redis.call('GET', KEYS[3]) or '0'))
        return result
        """;

    // KEYS: 1 sessions. ARGV: device, session, device, session...: each field is removed only while it still holds
    // that session (a newer connection of the device, registered meanwhile by another silo's activation, stays).
    // Returns how many were removed.
    public const string Remove = RemoveSessions + """

        return remove(KEYS[1], 1)
        """;

    // A kick by a service: Remove, and its user.kicked event. KEYS: 1 sessions, 2 the user's event outbox.
    // ARGV: 1 the event ('' for none), then device, session... as Remove's.
    public const string Kick = RemoveSessions + Events.OutboxScripts.Emit + """

        emit(KEYS[2], ARGV[1], '')
        return remove(KEYS[1], 2)
        """;

    // KEYS: 1 ban, 2 sessions, 3 the user's event outbox. ARGV: 1 the ban, 2 the user.banned event ('' for none).
    // Returns the sessions stored now, which the ban closes.
    public const string Ban = Events.OutboxScripts.Emit + """

        redis.call('SET', KEYS[1], ARGV[1])
        emit(KEYS[3], ARGV[2], '')
        return redis.call('HVALS', KEYS[2])
        """;

    // remove(sessionsKey, first): the device/session pairs of ARGV from "first" on.
    private const string RemoveSessions = """
        local function remove(sessionsKey, first)
          local removed = 0
          for i = first, #ARGV, 2 do
            if redis.call('HGET', sessionsKey, ARGV[i]) == ARGV[i + 1] then
              removed = removed + redis.call('HDEL', sessionsKey, ARGV[i])
            end
          end
          return removed
        end
        """;
}
