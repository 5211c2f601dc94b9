namespace ImActors.Grains.Inbox;

/// <summary>
/// The scripts that store a 1:1 message, each over one user's keys only (one hash slot, so one shard of a sharded
/// store; decision 82). A send to someone else is two steps:
/// <list type="number">
/// <item><see cref="Recipient"/>: the recipient's append, the commit point. It checks and writes the dedup record in
/// the recipient's keys, so a retried send finds the first message id and recipient seq.</item>
/// <item><see cref="SenderCopy"/>: the sender's own copy, stored once per message id. A retry after a crash between
/// the two steps stores it then; a send never retried after such a crash has no copy in the sender's inbox.</item>
/// </list>
/// Seqs come from INCR in the store, not from grain memory, so a grain that reactivates elsewhere after a crash can
/// never hand out a seq twice. Nothing is ACKed before both steps are committed.
/// </summary>
internal static class AppendScript
{
    /// <summary><c>touch(peersKey, lastKey, peer, seq)</c>: a conversation's newest seq; the peer joins the peers set on its first message only.</summary>
    private const string Touch = """

        local function touch(peersKey, lastKey, peer, seq)
          if not redis.call('GET', lastKey) then
            redis.call('SADD', peersKey, peer)
          end
          redis.call('SET', lastKey, seq)
        end
        local function cap(setKey, max)
          local n = redis.call('ZCARD', setKey)
          if n > max then
            redis.call('ZREMRANGEBYRANK', setKey, 0, n - max - 1)
          end
        end
        """;

    // KEYS: 1 dedup(recipient, sender, cmid), 2 seq, 3 floor, 4 peers, 5 last seq with the sender, 6 unread(sender)
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 sender, 7 entry prefix
    // Returns {duplicate (0/1), "id|ts|seq"}: the first attempt's values for a duplicate.
    public const string Recipient = LogScripts.Put + Touch + """

        local prior = redis.call('GET', KEYS[1])
        if prior then
          return {1, prior}
        end
        local max = tonumber(ARGV[4])
        local seq = redis.call('INCR', KEYS[2])
        put(ARGV[7], KEYS[3], seq, ARGV[1], max)
        touch(KEYS[4], KEYS[5], ARGV[6], seq)
        redis.call('ZADD', KEYS[6], seq, seq)
        cap(KEYS[6], max)
        local stored = ARGV[2] .. '|' .. ARGV[3] .. '|' .. seq
        redis.call('SET', KEYS[1], stored, 'EX', tonumber(ARGV[5]))
        return {0, stored}
        """;

    // KEYS: 1 own copy(sender, message id), 2 seq, 3 floor, 4 peers, 5 last seq with the recipient,
    //       6 read cursor of the recipient, 7 unread(recipient), 8 sent(recipient)
    // ARGV: 1 entry, 2 the recipient's seq, 3 max entries, 4 ttl seconds, 5 recipient, 6 entry prefix
    // Returns the sender's seq (the first one for a message id already stored).
    // The entry carries "|<recipient's seq>" so a recall finds the other copy; sent(recipient) maps the recipient's
    // seq to this one until the recipient reads it, which is how a read receipt names the sender's own seq.
    // Sending marks the conversation read for the sender: they have seen everything up to their own message.
    public const string SenderCopy = LogScripts.Put + Touch + """

        local prior = redis.call('GET', KEYS[1])
        if prior then
          return tonumber(prior)
        end
        local max = tonumber(ARGV[3])
        local seq = redis.call('INCR', KEYS[2])
        put(ARGV[6], KEYS[3], seq, ARGV[1] .. '|' .. ARGV[2], max)
        touch(KEYS[4], KEYS[5], ARGV[5], seq)
        redis.call('SET', KEYS[6], seq)
        redis.call('DEL', KEYS[7])
        redis.call('ZADD', KEYS[8], ARGV[2], seq)
        cap(KEYS[8], max)
        redis.call('SET', KEYS[1], seq, 'EX', tonumber(ARGV[4]))
        return seq
        """;

    // A message to oneself: one copy, one step.
    // KEYS: 1 dedup(user, user, cmid), 2 seq, 3 floor, 4 peers, 5 last seq with oneself, 6 read cursor of oneself
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 the user, 7 entry prefix
    // Returns {duplicate (0/1), "id|ts|seq"}.
    public const string ToSelf = LogScripts.Put + Touch + """

        local prior = redis.call('GET', KEYS[1])
        if prior then
          return {1, prior}
        end
        local seq = redis.call('INCR', KEYS[2])
        put(ARGV[7], KEYS[3], seq, ARGV[1], tonumber(ARGV[4]))
        touch(KEYS[4], KEYS[5], ARGV[6], seq)
        redis.call('SET', KEYS[6], seq)
        local stored = ARGV[2] .. '|' .. ARGV[3] .. '|' .. seq
        redis.call('SET', KEYS[1], stored, 'EX', tonumber(ARGV[5]))
        return {0, stored}
        """;

    // KEYS: 1 sent(peer), 2 the peer's read mark of this user's inbox. ARGV: 1 the peer's inbox seq they have read up to.
    // Returns this user's seq up to which the peer has now read, or 0 when that did not move.
    public const string PeerRead = """
        local top = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, 1)
        if #top == 0 then
          return 0
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local upTo = tonumber(top[1])
        if upTo > tonumber(redis.call('GET', KEYS[2]) or '0') then
          redis.call('SET', KEYS[2], upTo)
          return upTo
        end
        return 0
        """;
}
