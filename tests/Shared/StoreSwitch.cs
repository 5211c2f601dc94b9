namespace ImActors.Tests;

/// <summary>
/// The store switch: which Redis the shared test fixtures run on, read from <c>IMACTORS_TEST_STORE</c>.
/// <c>redis</c> (or unset) is one redis-server; <c>redis-cluster</c> is a Redis Cluster of <see cref="Masters"/>
/// masters with a replica each, with the silos on <c>Store:Sharded=true</c>. The full run of scripts/test.sh runs the
/// tests that follow the switch once with each (decision 130): a key outside its slot, a script over two slots or a
/// read of one node only passes on one server and fails on the cluster.
/// The second run leaves out two kinds of test, by trait: <see cref="Fixed"/> and <see cref="Once"/>.
/// Compiled into both the integration and the cluster tests.
/// </summary>
public static class StoreSwitch
{
    public const string Variable = "IMACTORS_TEST_STORE";

    public const string Trait = "Store";

    /// <summary>
    /// The trait value of a test whose store is the same whatever the switch says: no store, the embedded Garnet, or a
    /// Redis of its own making (the sharded tests' cluster among them).
    /// </summary>
    public const string Fixed = "Fixed";

    /// <summary>
    /// The trait value of a test that follows the switch but runs once in the full run: what it proves is the edge's
    /// own (framing, limits, TLS, the browser page) or Orleans' (a silo's handover, an edge's loss), and it reaches the
    /// store only as the tests that run twice do. Left out of the second run to keep CI within its time (decision 130).
    /// </summary>
    public const string Once = "Once";

    /// <summary>As many masters as the issue asks the suites to pass on, and as the master-kill drill uses.</summary>
    public const int Masters = 3;

    public static bool OnCluster { get; } = Environment.GetEnvironmentVariable(Variable) switch
    {
        null or "" or "redis" => false,
        "redis-cluster" => true,
        var other => throw new InvalidOperationException($"{Variable}={other}: use redis (one redis-server, the default) or redis-cluster"),
    };

    /// <summary>For test output and failure messages.</summary>
    public static string Name => OnCluster ? $"a Redis Cluster of {Masters} masters" : "one redis-server";
}
