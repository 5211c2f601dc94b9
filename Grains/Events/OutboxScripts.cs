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

    // KEYS: 1 an outbox list. ARGV: the entries delivered from its head, oldest first.
    // Pops the head while it is the next delivered entry: a second reader of the queue during a hand-over may have
    // removed some already, and nothing not delivered is ever removed. Returns how many were popped.
    public const string Trim = """
        local popped = 0
        for i = 1, #ARGV do
          if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[i] then
            break
          end
          redis.call('LPOP', KEYS[1])
          popped = popped + 1
        end
        return popped
        """;
}
