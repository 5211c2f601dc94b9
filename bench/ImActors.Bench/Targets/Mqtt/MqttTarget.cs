using System.Collections.Concurrent;
using System.Net;
using ImActors.Bench.Load;
using ImActors.Client;

namespace ImActors.Bench.Targets.Mqtt;

/// <summary>
/// An MQTT 3.1.1 server under test, at QoS 1 both ways: ImActors' MQTT listener (<c>imactors-mqtt</c>: the token as the
/// password, a PUBACK only after the store's commit) or mosquitto (<c>mosquitto</c>: anonymous, nothing stored).
/// </summary>
public sealed class MqttTarget : IBenchTarget
{
    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly string? _tokenSecret;
    private readonly MqttDialect _dialect;
    private readonly bool _mqttNet;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    private MqttTarget(string name, IReadOnlyList<IPEndPoint> servers, string? tokenSecret, MqttDialect dialect, bool durable, bool mqttNet)
    {
        Name = name;
        _servers = servers;
        _tokenSecret = tokenSecret;
        _dialect = dialect;
        Durable = durable;
        _mqttNet = mqttNet;
    }

    /// <param name="mqttNet">Connect through the MQTTnet client instead of the tool's own (<c>--mqtt-client mqttnet</c>).</param>
    public static MqttTarget ImActors(IReadOnlyList<IPEndPoint> servers, string tokenSecret, bool mqttNet = false) =>
        new("imactors-mqtt", servers, tokenSecret, MqttDialect.ImActors, durable: true, mqttNet);

    /// <summary>Mosquitto keeps a clean session's messages nowhere, and the tool starts it without persistence (decision 129).</summary>
    public static MqttTarget Mosquitto(IReadOnlyList<IPEndPoint> servers, bool mqttNet = false) =>
        new("mosquitto", servers, null, MqttDialect.Broker, durable: false, mqttNet);

    public string Name { get; }

    public bool Durable { get; }

    public string? GroupsMissingReason => "the MQTT targets measure 1:1 messages only";

    public async Task<IBenchConnection> ConnectAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken)
    {
        // Minted once per user, as ImActorsTarget does: a client arrives with its token.
        var password = _tokenSecret is null ? null : _tokens.GetOrAdd(user, u => TokenIssuer.Issue(u, _tokenSecret, TimeSpan.FromHours(12)));
        var server = _servers[serverIndex % _servers.Count];
        return _mqttNet
            ? await MqttNetBenchConnection.ConnectAsync(server, source, user, password, _dialect, counters, cancellationToken)
            : await MqttBenchConnection.ConnectAsync(server, source, user, password, _dialect, counters, cancellationToken);
    }
}
