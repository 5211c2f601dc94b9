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
    // KEYS: 1 dedup(sender, cmid), 2 recipient seq, 3 recipient floor, 4 sender seq, 5 sender floor,
    //       6 recipient's peers, 7 recipient's last seq with the sender, 8 recipient unread(sender),
    //       9 sender's peers, 10 sender's last seq with the recipient, 11 sender's read cursor of the recipient,
    //       12 sender unread(recipient)
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 "1" when sending to oneself,
    //       7 sender, 8 recipient, 9 recipient's entry prefix, 10 sender's entry prefix
    // Returns {duplicate (0/1), "id|ts|senderSeq|recipientSeq"}.
    // Each copy carries "|<seq in the other inbox>" so read receipts and recalls can name the other copy.
    // Sending marks the conversation read for the sender: they have seen everything up to their own message.
    // A peer joins the peers set only on the first message, so the set is written once per conversation.
    public const string Source = LogScripts.Put + """

        local prior = redis.call('GET', KEYS[1])
        if prior then
          return {1, prior}
        end
        local max = tonumber(ARGV[4])
        local function touch(peersKey, lastKey, peer, seq)
          if not redis.call('GET', lastKey) then
            redis.call('SADD', peersKey, peer)
          end
          redis.call('SET', lastKey, seq)
        end
        local rseq = redis.call('INCR', KEYS[2])
        local sseq = rseq
        if ARGV[6] == '1' then
          put(ARGV[9], KEYS[3], rseq, ARGV[1], max)
          touch(KEYS[6], KEYS[7], ARGV[8], rseq)
          redis.call('SET', KEYS[11], rseq)
        else
          sseq = redis.call('INCR', KEYS[4])
          put(ARGV[9], KEYS[3], rseq, ARGV[1] .. '|' .. sseq, max)
          put(ARGV[10], KEYS[5], sseq, ARGV[1] .. '|' .. rseq, max)
          touch(KEYS[6], KEYS[7], ARGV[7], rseq)
          redis.call('ZADD', KEYS[8], rseq, rseq)
          local unread = redis.call('ZCARD', KEYS[8])
          if unread > max then
            redis.call('ZREMRANGEBYRANK', KEYS[8], 0, unread - max - 1)
          end
          touch(KEYS[9], KEYS[10], ARGV[8], sseq)
          redis.call('SET', KEYS[11], sseq)
          redis.call('DEL', KEYS[12])
        end
        local ack = ARGV[2] .. '|' .. ARGV[3] .. '|' .. sseq .. '|' .. rseq
        redis.call('SET', KEYS[1], ack, 'EX', tonumber(ARGV[5]))
        return {0, ack}
        """;
}
