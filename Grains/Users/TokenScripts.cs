namespace ImActors.Grains.Users;

/// <summary>
/// Revocations and refresh token families, each a step of one user's keys (one hash slot): a revocation and a login,
/// or two uses of one refresh token, are serialised by the store, never by a grain's memory (decisions 106, 107).
/// A family is one field of <c>im:{user}:refresh</c>: "familyHash generation tokenHash expiresMs familyExpiresMs".
/// </summary>
internal static class TokenScripts
{
    // KEYS: 1 valid-after, 2 sessions, 3 refresh families. ARGV: 1 '*' or a device, 2 now (ms).
    // Moves the valid-after forward (never back), deletes the refresh families it covers, and returns the sessions
    // stored now, which the grain closes.
    public const string Revoke = """
        local before = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if tonumber(ARGV[2]) > before then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        if ARGV[1] == '*' then
          redis.call('DEL', KEYS[3])
        else
          redis.call('HDEL', KEYS[3], ARGV[1])
        end
        return redis.call('HVALS', KEYS[2])
        """;

    // KEYS: 1 refresh families. ARGV: 1 device, 2 the new family, 3 now (ms), 4 most families kept.
    // Replaces the device's family; drops families past their expiry, then the ones expiring soonest beyond the limit.
    public const string Issue = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local now = tonumber(ARGV[3])
        local all = redis.call('HGETALL', KEYS[1])
        local live = {}
        for i = 1, #all, 2 do
          local _, _, _, expires, familyExpires = string.match(all[i + 1], '(%S+) (%S+) (%S+) (%S+) (%S+)')
          local ends = math.min(tonumber(expires), tonumber(familyExpires))
          if ends <= now then
            redis.call('HDEL', KEYS[1], all[i])
          else
            table.insert(live, {all[i], ends})
          end
        end
        table.sort(live, function(a, b) return a[2] < b[2] end)
        for i = 1, #live - tonumber(ARGV[4]) do
          redis.call('HDEL', KEYS[1], live[i][1])
        end
        return #live
        """;

    // KEYS: 1 refresh families. ARGV: 1 device, 2 family hash, 3 generation, 4 token hash, 5 now (ms), 6 the next
    // token's hash, 7 the next token's expiry (ms).
    // Returns {1, expiry} rotated; {0} unknown (no family, another family, a wrong hash); {-1} a used token (the family
    // is deleted); {-2} expired (the family is deleted).
    public const string Rotate = """
        local stored = redis.call('HGET', KEYS[1], ARGV[1])
        if not stored then
          return {0}
        end
        local family, generation, hash, expires, familyExpires = string.match(stored, '(%S+) (%S+) (%S+) (%S+) (%S+)')
        if family ~= ARGV[2] then
          return {0}
        end
        local presented = tonumber(ARGV[3])
        if presented < tonumber(generation) then
          redis.call('HDEL', KEYS[1], ARGV[1])
          return {-1}
        end
        if presented ~= tonumber(generation) or hash ~= ARGV[4] then
          return {0}
        end
        local now = tonumber(ARGV[5])
        if now >= tonumber(expires) or now >= tonumber(familyExpires) then
          redis.call('HDEL', KEYS[1], ARGV[1])
          return {-2}
        end
        local nextExpires = math.min(tonumber(ARGV[7]), tonumber(familyExpires))
        redis.call('HSET', KEYS[1], ARGV[1], family .. ' ' .. (presented + 1) .. ' ' .. ARGV[6] .. ' ' .. nextExpires .. ' ' .. familyExpires)
        return {1, nextExpires}
        """;
}
