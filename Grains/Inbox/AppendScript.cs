namespace ImActors.Grains.Inbox;

/// <summary>
/// The scripts that store a 1:1 message. A send to someone else is two steps, each over one user's keys (decision 82):
/// <list type="number">
/// <item>The recipient's append, the commit point. It checks and writes the dedup record in the recipient's keys, so
/// a retried send finds the first message id and recipient seq.</item>
/// <item>The sender's own copy, stored once per message id. A retry after a crash between the two steps stores it
/// then; a send never retried after such a crash has no copy in the sender's inbox.</item>
/// </list>
/// A sharded store runs them as <see cref="Recipient"/> and <see cref="SenderCopy"/>, one hash slot each. A store of one
/// shard runs both in <see cref="OneStep"/>: the same writes in one round trip. Seqs come from INCR in the store, not
/// from grain memory, so a grain that reactivates elsewhere after a crash can never hand out a seq twice. Nothing is
/// ACKed before both are committed.
/// </summary>
internal static class AppendScript
{
    // The two steps as functions, so that each script below is only which keys it passes.
    // recipientAppend(dedupKey, seqKey, floorKey, peersKey, lastKey, unreadKey, entry, id, ts, max, ttl, sender, prefix, perSender)
    //   returns nil and the first attempt's "id|ts|seq" for a duplicate, false and the unread count when the recipient
    //   already holds perSender unread messages from this sender (0: no cap; decision 132), else the new seq and
    //   "id|ts|seq". A duplicate is answered before the cap: a retry of a stored message gets its ACK.
    // senderCopy(ownKey, seqKey, floorKey, peersKey, lastKey, readKey, unreadKey, sentKey, entry, recipientSeq, max, ttl,
    //   recipient, prefix) returns the sender's seq (the first one for a message id already stored).
    // The sender's entry carries "|<recipient's seq>" so a recall finds the other copy; sent(recipient) maps the
    // recipient's seq to the sender's until the recipient reads it, which is how a read receipt names the sender's seq.
    // Sending marks the conversation read for the sender: they have seen everything up to their own message.
    // A peer joins the peers set on the conversation's first message only.
    private const string Steps = LogScripts.Put + Events.OutboxScripts.Emit + """

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
        local function recipientAppend(dedupKey, seqKey, floorKey, peersKey, lastKey, unreadKey, entry, id, ts, max, ttl, sender, prefix, perSender)
          local prior = redis.call('GET', dedupKey)
          if prior then
            return nil, prior
          end
          local unread = redis.call('ZCARD', unreadKey)
          if perSender > 0 and unread >= perSender then
            return false, unread
          end
          local seq = redis.call('INCR', seqKey)
          put(prefix, floorKey, seq, entry, max)
          touch(peersKey, lastKey, sender, seq)
          redis.call('ZADD', unreadKey, seq, seq)
          if unread + 1 > max then
            redis.call('ZREMRANGEBYRANK', unreadKey, 0, unread - max)
          end
          local stored = id .. '|' .. ts .. '|' .. seq
          redis.call('SET', dedupKey, stored, 'EX', ttl)
          return seq, stored
        end
        local function senderCopy(ownKey, seqKey, floorKey, peersKey, lastKey, readKey, unreadKey, sentKey, entry, recipientSeq, max, ttl, recipient, prefix)
          local prior = redis.call('GET', ownKey)
          if prior then
            return tonumber(prior)
          end
          local seq = redis.call('INCR', seqKey)
          put(prefix, floorKey, seq, entry .. '|' .. recipientSeq, max)
          touch(peersKey, lastKey, recipient, seq)
          redis.call('SET', readKey, seq)
          redis.call('DEL', unreadKey)
          redis.call('ZADD', sentKey, recipientSeq, seq)
          cap(sentKey, max)
          redis.call('SET', ownKey, seq, 'EX', ttl)
          return seq
        end
        """;

    // KEYS: 1 dedup(recipient, sender, cmid), 2 seq, 3 floor, 4 peers, 5 last seq with the sender, 6 unread(sender),
    //       7 the recipient's event outbox
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 sender, 7 entry prefix,
    //       8 the open draft of the message's event ('' for none), closed here with the recipient's seq,
    //       9 the most unread messages the recipient may hold from the sender (0: no cap)
    // Returns {0, "id|ts|seq"}, {1, the first attempt's "id|ts|seq"} for a duplicate, or {2, unread count} when refused.
    public const string Recipient = Steps + """

        local seq, stored = recipientAppend(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
          ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], ARGV[7], tonumber(ARGV[9]))
        if seq == false then
          return {2, stored}
        end
        if seq then
          emit(KEYS[7], ARGV[8], ',"seq":' .. seq .. '}')
        end
        return {seq and 0 or 1, stored}
        """;

    // KEYS: 1 own copy(sender, message id), 2 seq, 3 floor, 4 peers, 5 last seq with the recipient,
    //       6 read cursor of the recipient, 7 unread(recipient), 8 sent(recipient)
    // ARGV: 1 entry, 2 the recipient's seq, 3 max entries, 4 ttl seconds, 5 recipient, 6 entry prefix
    // Returns the sender's seq.
    public const string SenderCopy = Steps + """

        return senderCopy(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8],
          ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6])
        """;

    // Both steps, atomically: KEYS 1-6 of Recipient, then KEYS 1-8 of SenderCopy, then 15 the recipient's event outbox;
    // ARGV 1-7 as Recipient's, then 8 recipient, 9 the sender's entry prefix, 10 the open draft of the message's event
    // ('' for none), closed here with both seqs, 11 the per-sender unread cap as Recipient's ARGV 9.
    // Returns {0, "id|ts|seq", sender's seq}, {2, unread count} when refused by the cap, or {1, "id|ts|seq"} for a
    // duplicate: the caller then runs SenderCopy with the first attempt's id, which finds the copy or (stored by two
    // steps and cut short by a crash) stores it.
    public const string OneStep = Steps + """

        local max, ttl = tonumber(ARGV[4]), tonumber(ARGV[5])
        local seq, stored = recipientAppend(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
          ARGV[1], ARGV[2], ARGV[3], max, ttl, ARGV[6], ARGV[7], tonumber(ARGV[11]))
        if seq == false then
          return {2, stored}
        end
        if not seq then
          return {1, stored}
        end
        local own = senderCopy(KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14],
          ARGV[1], seq, max, ttl, ARGV[8], ARGV[9])
        emit(KEYS[15], ARGV[10], ',"seq":' .. seq .. ',"senderSeq":' .. own .. '}')
        return {0, stored, own}
        """;

    // A message to oneself: one copy, one step, one user's keys.
    // KEYS: 1 dedup(user, user, cmid), 2 seq, 3 floor, 4 peers, 5 last seq with oneself, 6 read cursor of oneself,
    //       7 the user's event outbox
    // ARGV: 1 entry, 2 message id, 3 timestamp, 4 max entries, 5 dedup ttl seconds, 6 the user, 7 entry prefix,
    //       8 the open draft of the message's event ('' for none)
    // Returns {duplicate (0/1), "id|ts|seq"}.
    public const string ToSelf = Steps + """

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
        emit(KEYS[7], ARGV[8], ',"seq":' .. seq .. ',"senderSeq":' .. seq .. '}')
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
