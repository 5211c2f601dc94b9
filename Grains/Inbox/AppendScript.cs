namespace ImActors.Grains.Inbox;

/// <summary>
/// The one script that stores a 1:1 message. Dedup check, seq allocation, both appends, count trimming
/// and the dedup record happen atomically in the store, so a crash at any point either stored everything
/// (a retry finds the dedup record and gets the first ACK) or nothing (the retry stores it once).
/// Seqs come from INCR in the store, not from grain memory, so a grain that reactivates elsewhere after a
/// crash can never hand out a seq twice.
/// </summary>
internal static class AppendScript
{
    // KEYS: 1 dedup(sender, cmid), 2 recipient seq, 3 recipient log, 4 sender seq, 5 sender log
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 "1" when sending to oneself
    // Returns {duplicate (0/1), "id|ts|senderSeq|recipientSeq"}.
    public const string Source = """
        local prior = redis.call('GET', KEYS[1])
        if prior then
          return {1, prior}
        end
        local max = tonumber(ARGV[4])
        local function append(seqKey, logKey)
          local seq = redis.call('INCR', seqKey)
          redis.call('ZADD', logKey, seq, ARGV[1])
          local n = redis.call('ZCARD', logKey)
          if n > max then
            redis.call('ZREMRANGEBYRANK', logKey, 0, n - max - 1)
          end
          return seq
        end
        local rseq = append(KEYS[2], KEYS[3])
        local sseq = rseq
        if ARGV[6] ~= '1' then
          sseq = append(KEYS[4], KEYS[5])
        end
        local ack = ARGV[2] .. '|' .. ARGV[3] .. '|' .. sseq .. '|' .. rseq
        redis.call('SET', KEYS[1], ack, 'EX', tonumber(ARGV[5]))
        return {0, ack}
        """;
}
