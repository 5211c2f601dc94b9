using ImActors.Tests;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>A real Redis a fixture runs on: one server or a cluster, whichever the store switch names.</summary>
public interface ITestRedis : IAsyncDisposable
{
    /// <summary>What the silos and edges get as <c>Store:Redis</c>: the server, or every node of the cluster.</summary>
    string ConnectionString { get; }

    Task StartAsync();
}

public static class TestRedis
{
    /// <summary>The store the switch names (<see cref="StoreSwitch"/>), not yet started.</summary>
    public static ITestRedis FromSwitch() =>
        StoreSwitch.OnCluster ? new RedisClusterProcess(StoreSwitch.Masters) : new RedisServerProcess();

    /// <summary>
    /// The silo settings the switch's store needs over a fixture's own: <c>Store:Sharded=true</c> on a cluster (a silo
    /// refuses to start on one without it, decision 119), nothing on one server.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> SiloSettings() =>
        StoreSwitch.OnCluster ? [KeyValuePair.Create("Store:Sharded", (string?)"true")] : [];
}
