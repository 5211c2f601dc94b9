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
    // KEYS: 1 sessions, 2 groups, 3 inbox seq, 4 ban, 5 valid-after. ARGV: 1 device, 2 the session, 3 the token's iat (ms).
    // Returns {inbox seq, group...}, or {-1, the ban} for a banned user, or {-2, valid-after} for a token issued before
    // a revocation, registering nothing: the ban, the revocation and the login are steps of the same keys, so a login
    // either sees them or is among the sessions they close (decisions 98, 107).
    public const string Connect = """
        local ban = redis.call('GET', KEYS[4])
        if ban then
          return {-1, ban}
        end
        local revoked = math.max(tonumber(redis.call('HGET', KEYS[5], '*') or '0'), tonumber(redis.call('HGET', KEYS[5], ARGV[1]) or '0'))
        if tonumber(ARGV[3]) < revoked then
          return {-2, revoked}
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local result = redis.call('SMEMBERS', KEYS[2])
        table.insert(result, 1, tonumber(redis.call('GET', KEYS[3]) or '0'))
        return result
        """;

    // KEYS: 1 sessions. ARGV: device, session, device, session...: each field is removed only while it still holds
    // that session (a newer connection of the device, registered meanwhile by another silo's activation, stays).
    // Returns how many were removed.
    public const string Remove = """
        local removed = 0
        for i = 1, #ARGV, 2 do
          if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
            removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
          end
        end
        return removed
        """;

    // KEYS: 1 ban, 2 sessions. ARGV: 1 the ban. Returns the sessions stored now, which the ban closes.
    public const string Ban = """
        redis.call('SET', KEYS[1], ARGV[1])
        return redis.call('HVALS', KEYS[2])
        """;
}
