namespace ImActors.Bench.Servers;

/// <summary>What the ImActors processes the tool starts keep their data in.</summary>
public enum StoreKind
{
    /// <summary>The silo's embedded Garnet, which the edges reach too (the default; what a single node runs).</summary>
    Embedded,

    /// <summary>One redis-server the tool starts.</summary>
    Redis,

    /// <summary>A Redis Cluster the tool starts: <see cref="StoreTopology.Masters"/> masters with a replica each.</summary>
    RedisCluster,
}

/// <summary>The store behind a silo-and-edges target: which kind, and on a Redis Cluster how many masters (decision 121).</summary>
public sealed record StoreTopology(StoreKind Kind, int Masters = 1)
{
    public static readonly StoreTopology Embedded = new(StoreKind.Embedded);

    /// <summary>As the report names it: <c>embedded</c>, <c>redis</c>, <c>redis-cluster:3</c>.</summary>
    public override string ToString() => Kind switch
    {
        StoreKind.Embedded => "embedded",
        StoreKind.Redis => "redis",
        _ => $"redis-cluster:{Masters}",
    };
}
