namespace ImActors.Grains.Inbox;

/// <summary>
/// Recalls one copy of a message in one log (a group timeline, or one inbox of a 1:1 message): the copy is replaced
/// in place by its tombstone (same seq, so the log stays gap-free) and a recall event is appended with a new seq, so
/// devices that already held the message learn of the recall on sync. Nothing changes unless the copy is still
/// what the caller read (not recalled or trimmed meanwhile). One log's keys only: a 1:1 recall runs it once per
/// inbox (decision 82).
/// </summary>
internal static class RecallScript
{
    // KEYS: 1 seq, 2 floor
    // ARGV: 1 max entries, 2 entry prefix, 3 target seq, 4 current entry, 5 tombstone entry, 6 event entry
    // Returns {1, event seq} or {0} when the copy changed since it was read.
    public const string Source = LogScripts.Put + """

        if redis.call('GET', ARGV[2] .. ARGV[3]) ~= ARGV[4] then
          return {0}
        end
        local seq = redis.call('INCR', KEYS[1])
        redis.call('SET', ARGV[2] .. ARGV[3], ARGV[5])
        put(ARGV[2], KEYS[2], seq, ARGV[6], tonumber(ARGV[1]))
        return {1, seq}
        """;
}
