namespace ImActors.Grains.Inbox;

/// <summary>
/// The Lua that every script writing or reading a log shares, and the scripts that only read or trim one. A log
/// is gap-free between its floor and its seq: entries are only ever added at seq + 1, replaced in place (recall)
/// or removed from the bottom by moving the floor up.
/// </summary>
internal static class LogScripts
{
    /// <summary>
    /// <c>put(prefix, floorKey, seq, entry, max)</c> stores an entry and keeps at most <c>max</c> entries by moving the
    /// floor: once a log is full, each append deletes exactly one old entry, so an append costs the same at any size.
    /// </summary>
    public const string Put = """
        local function put(prefix, floorKey, seq, entry, max)
          redis.call('SET', prefix .. seq, entry)
          local floor = tonumber(redis.call('GET', floorKey) or '0')
          if seq - floor > max then
            local newFloor = seq - max
            for s = floor + 1, newFloor do
              redis.call('DEL', prefix .. s)
            end
            redis.call('SET', floorKey, newFloor)
          end
        end
        """;

    // KEYS: 1 seq, 2 floor. ARGV: 1 entry prefix, 2 read after this seq, 3 at most this many seqs.
    // Returns {last seq, floor, last seq scanned, seq1, entry1, seq2, entry2, ...}, oldest first. A seq with no entry
    // (a send the store recovered only in part after a crash, never ACKed) is skipped: the page holds fewer entries
    // than seqs scanned, and "last seq scanned" tells the reader where the next page starts.
    public const string Page = """
        local last = tonumber(redis.call('GET', KEYS[1]) or '0')
        local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
        local from = math.max(tonumber(ARGV[2]), floor) + 1
        local to = math.min(last, from + tonumber(ARGV[3]) - 1)
        local result = {last, floor, math.max(to, from - 1)}
        for s = from, to do
          local entry = redis.call('GET', ARGV[1] .. s)
          if entry then
            table.insert(result, s)
            table.insert(result, entry)
          end
        end
        return result
        """;

    // KEYS: 1 floor. ARGV: 1 entry prefix, 2 the new floor. Deletes the entries up to the new floor; never moves it down.
    // Returns how many entries it deleted.
    public const string TrimTo = """
        local floor = tonumber(redis.call('GET', KEYS[1]) or '0')
        local to = tonumber(ARGV[2])
        if to <= floor then
          return 0
        end
        local removed = 0
        for s = floor + 1, to do
          removed = removed + redis.call('DEL', ARGV[1] .. s)
        end
        redis.call('SET', KEYS[1], to)
        return removed
        """;

    // KEYS: 1 a counter. ARGV: 1 value. Sets the counter to the value if that is higher; returns the counter.
    // Read cursors only move forward, whichever device or grain writes them.
    public const string Max = """
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        local s = tonumber(ARGV[1])
        if s > cur then
          redis.call('SET', KEYS[1], s)
          return s
        end
        return cur
        """;
}
