using ImActors.Silo;
using Orleans.TestingHost;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>The test clusters' one shape: two silos on real TCP, clustered through the fixture's redis-server rather than the test host's own membership.</summary>
public static class TestClusters
{
    public static async Task<TestCluster> DeployAsync<TSilo, TClient>(string clusterId)
        where TSilo : ISiloConfigurator, new()
        where TClient : IClientBuilderConfigurator, new()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = ClusterSettings.ServiceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddClientBuilderConfigurator<TClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Stops and disposes; null-safe, so a fixture that failed half-way still cleans up.</summary>
    public static async Task StopAsync(TestCluster? cluster)
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
