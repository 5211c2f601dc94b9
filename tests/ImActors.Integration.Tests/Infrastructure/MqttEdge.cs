namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>An edge of the shared test cluster with its MQTT listener on: the shared edges leave it off.</summary>
public sealed class MqttEdge : IAsyncDisposable
{
    private MqttEdge(EdgeProcess edge, int mqttPort)
    {
        Edge = edge;
        MqttPort = mqttPort;
    }

    public EdgeProcess Edge { get; }

    public int MqttPort { get; }

    public static async Task<MqttEdge> StartAsync(ClusterFixture cluster, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = FreePorts.Next();
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Edge:MqttPort"] = port.ToString() };
        var edge = await cluster.StartEdgeAsync("edge-mqtt-" + Guid.NewGuid().ToString("N")[..6], all);
        return new MqttEdge(edge, port);
    }

    public ValueTask DisposeAsync() => Edge.DisposeAsync();
}
