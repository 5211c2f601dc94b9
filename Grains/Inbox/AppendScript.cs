namespace ImActors.Grains.Inbox;

/// <summary>
/// The one script that stores a 1:1 message. Dedup check, seq allocation, both appends, count trimming,
/// the conversation bookkeeping and the dedup record happen atomically in the store, so a crash at any
/// point either stored everything (a retry finds the dedup record and gets the first ACK) or nothing (the
/// retry stores it once). Seqs come from INCR in the store, not from grain memory, so a grain that
/// reactivates elsewhere after a crash can never hand out a seq twice.
/// </summary>
internal static class AppendScript
{
    // KEYS: 1 dedup(sender, cmid), 2 recipient seq, 3 recipient log, 4 sender seq, 5 sender log,
    //       6 recipient conversations, 7 recipient unread(sender), 8 sender conversations, 9 sender read cursors,
    //       10 sender unread(recipient)
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 "1" when sending to oneself,
    //       7 sender, 8 recipient
    // Returns {duplicate (0/1), "id|ts|senderSeq|recipientSeq"}.
    // Each copy carries "|<seq in the other inbox>" so read receipts and recalls can name the other copy.
    // Sending marks the conversation read for the sender: they have seen everything up to their own message.
    public const string Source = """
        local prior = redis.call('GET', KEYS[1])
        if prior then
          return {1, prior}
        end
        local max = tonumber(ARGV[4])
        local function trim(key)
          local n = redis.call('ZCARD', key)
          if n > max then
            redis.call('ZREMRANGEBYRANK', key, 0, n - max - 1)
          end
        end
        local rseq = redis.call('INCR', KEYS[2])
        local sseq = rseq
        if ARGV[6] == '1' then
          redis.call('ZADD', KEYS[3], rseq, ARGV[1])
          trim(KEYS[3])
          redis.call('HSET', KEYS[6], ARGV[8], rseq)
          redis.call('HSET', KEYS[9], 'u:' .. ARGV[8], rseq)
        else
          sseq = redis.call('INCR', KEYS[4])
          redis.call('ZADD', KEYS[3], rseq, ARGV[1] .. '|' .. sseq)
          trim(KEYS[3])
          redis.call('ZADD', KEYS[5], sseq, ARGV[1] .. '|' .. rseq)
          trim(KEYS[5])
          redis.call('HSET', KEYS[6], ARGV[7], rseq)
          redis.call('ZADD', KEYS[7], rseq, rseq)
          trim(KEYS[7])
          redis.call('HSET', KEYS[8], ARGV[8], sseq)
          redis.call('HSET', KEYS[9], 'u:' .. ARGV[8], sseq)
          redis.call('DEL', KEYS[10])
        end
        local ack = ARGV[2] .. '|' .. ARGV[3] .. '|' .. sseq .. '|' .. rseq
        redis.call('SET', KEYS[1], ack, 'EX', tonumber(ARGV[5]))
        return {0, ack}
        """;
}
