using StackExchange.Redis;

namespace ImActors.Grains.Inbox;

/// <summary>
/// The keys of one log (a user's inbox or a group's timeline), all under one hash tag: a seq counter, a floor
/// (every seq at or below it is trimmed) and one key per entry. An entry never shares a value with another, so
/// no value in the store grows with traffic: a store that copies a value on update (Garnet's log does, once the
/// value leaves its mutable region) copies one message, never a whole inbox (decision 76).
/// </summary>
internal readonly record struct LogKeys(string Prefix)
{
    public RedisKey Seq => Prefix + "seq";

    public RedisKey Floor => Prefix + "floor";

    /// <summary>The scripts build an entry's key as this prefix and the seq: the keys they touch are not known in advance.</summary>
    public string EntryPrefix => Prefix + "m:";

    public RedisKey Entry(long seq) => EntryPrefix + seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
