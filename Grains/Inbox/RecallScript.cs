namespace ImActors.Grains.Inbox;

/// <summary>
/// Recalls one message in one or two logs (a group timeline, or both inboxes of a 1:1 message) atomically:
/// each copy is replaced in place by its tombstone (same seq, so the log stays gap-free) and a recall event
/// is appended with a new seq, so devices that already held the message learn of the recall on sync.
/// Nothing changes unless every copy is still what the caller read (not recalled or trimmed meanwhile).
/// </summary>
internal static class RecallScript
{
    // KEYS: per log i: 2i-1 seq, 2i floor
    // ARGV: 1 max entries, 2 "1" when the two logs are the two inboxes of a 1:1 message (each event copy then
    //       gets "|<event seq in the other inbox>"), then per log 5 values: entry prefix, target seq, current entry,
    //       tombstone entry, event entry
    // Returns {1, eventSeq1[, eventSeq2]} or {0} when a copy changed since it was read.
    public const string Source = LogScripts.Put + """

        local max = tonumber(ARGV[1])
        local cross = ARGV[2] == '1'
        local n = #KEYS / 2
        for i = 1, n do
          local b = 2 + (i - 1) * 5
          if redis.call('GET', ARGV[b + 1] .. ARGV[b + 2]) ~= ARGV[b + 3] then
            return {0}
          end
        end
        local seqs = {}
        for i = 1, n do
          seqs[i] = redis.call('INCR', KEYS[2 * i - 1])
        end
        for i = 1, n do
          local b = 2 + (i - 1) * 5
          redis.call('SET', ARGV[b + 1] .. ARGV[b + 2], ARGV[b + 4])
          local event = ARGV[b + 5]
          if cross then
            event = event .. '|' .. seqs[3 - i]
          end
          put(ARGV[b + 1], KEYS[2 * i], seqs[i], event, max)
        end
        if n == 2 then
          return {1, seqs[1], seqs[2]}
        end
        return {1, seqs[1]}
        """;
}
