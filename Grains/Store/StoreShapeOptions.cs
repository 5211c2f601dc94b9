namespace ImActors.Grains.Store;

/// <summary>How the message store is laid out, as far as the grains must know. Bound from the "Store" section.</summary>
public sealed class StoreShapeOptions
{
    public const string Section = "Store";

    /// <summary>
    /// True when the store is sharded (keys of different users may live on different nodes): a 1:1 send then runs as
    /// two store steps of one user's keys each. False (one Redis primary, or the embedded store): the same two steps
    /// run as one script, one round trip instead of two (decision 82).
    /// </summary>
    public bool Sharded { get; set; }
}
