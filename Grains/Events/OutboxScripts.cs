namespace ImActors.Grains.Events;

/// <summary>The Lua that writes events into the outbox lists and removes the delivered ones (decision 109).</summary>
internal static class OutboxScripts
{
    /// <summary>
    /// <c>emit(list, draft, rest)</c> pushes <c>draft .. rest</c> onto the outbox list, or nothing when the draft is ""
    /// (events off). <c>rest</c> closes an open draft with the seqs the script took: <c>',"seq":' .. seq .. '}'</c>.
    /// </summary>
    public const string Emit = """

        local function emit(list, draft, rest)
          if draft ~= '' then
            redis.call('RPUSH', list, draft .. rest)
          end
        end
        """;

    // KEYS: 1 an outbox list, 2 its trimmed counter (how many entries ever left its head). ARGV: 1 the absolute
    // position of the next entry to read, 2 how many to read, 3.. positions to read again (their deliveries failed).
    // Returns { the counter, the absolute position of the first entry read, the entries, the re-read ones ('' once trimmed) }.
    // Positions count from the list's first entry ever, so another reader's trims shift nothing: a reader never skips
    // an entry it has not read, and reads none again that another reader trimmed.
    public const string Read = """
        local trimmed = tonumber(redis.call('GET', KEYS[2]) or '0')
        local again = {}
        for i = 3, #ARGV do
          local at = tonumber(ARGV[i]) - trimmed
          again[#again + 1] = (at >= 0 and redis.call('LINDEX', KEYS[1], at)) or ''
        end
        local from = math.max(tonumber(ARGV[1]) - trimmed, 0)
        local entries = redis.call('LRANGE', KEYS[1], from, from + tonumber(ARGV[2]) - 1)
        return { trimmed, trimmed + from, entries, again }
        """;

    // KEYS: 1 an outbox list, 2 its trimmed counter. ARGV: 1 an absolute position every entry before which was delivered.
    // Removes the entries before it that are still there and counts them; a position at or behind the counter (another
    // reader got further) removes nothing. Returns the counter.
    public const string Trim = """
        local trimmed = tonumber(redis.call('GET', KEYS[2]) or '0')
        local n = tonumber(ARGV[1]) - trimmed
        if n <= 0 then
          return trimmed
        end
        redis.call('LTRIM', KEYS[1], n, -1)
        return redis.call('INCRBY', KEYS[2], n)
        """;
}
