using System.Net;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;

namespace ImActors.Bench.Targets;

/// <summary>
/// Peer 2, mosquitto with QoS 1, belongs here: 1:1 as a publish to the recipient's topic (<c>u/&lt;user&gt;</c>),
/// groups as a publish to <c>g/&lt;group&gt;</c> that every member subscribes to. It waits for ImActors to speak
/// MQTT, so that both sides are driven by the same MQTT client code.
/// </summary>
public sealed class MqttTarget : IBenchTarget
{
    public string Name => "mqtt";

    public bool Durable => false;

    public string? GroupsMissingReason => "the MQTT target is not implemented yet";

    public Task<IBenchConnection> ConnectAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken) =>
        throw new BenchUsageException("the MQTT (mosquitto) target is not implemented yet: it comes with the edge's MQTT transport");
}
