using System.Net;
using ImActors.Bench.Load;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ImActors.Bench.Targets.Mqtt;

/// <summary>
/// The same connection as <see cref="MqttBenchConnection"/> through the MQTTnet client (<c>--mqtt-client mqttnet</c>):
/// kept to measure what a full client library costs the generator (decision 129), not as the default.
/// </summary>
public sealed class MqttNetBenchConnection : IBenchConnection
{
    private readonly IMqttClient _client;
    private readonly MqttDialect _dialect;
    private readonly LoadCounters _counters;
    private readonly byte[] _self;
    private (string To, string Topic) _lastTopic = ("", "");

    private MqttNetBenchConnection(IMqttClient client, string user, MqttDialect dialect, LoadCounters counters)
    {
        _client = client;
        _dialect = dialect;
        _counters = counters;
        _self = System.Text.Encoding.UTF8.GetBytes(user);
        User = user;
        client.ApplicationMessageReceivedAsync += e =>
        {
            Span<byte> stamp = stackalloc byte[MessageStamp.MinSize];
            if (_dialect.TryReadStamp(e.ApplicationMessage.Payload, _self, stamp))
            {
                _counters.OnDelivered(stamp);
            }

            // MQTTnet PUBACKs the PUBLISH itself once this handler returns.
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && e.Reason != MqttClientDisconnectReason.NormalDisconnection)
            {
                _counters.OnError("connection lost: " + (e.Exception?.Message ?? e.Reason.ToString()));
            }

            return Task.CompletedTask;
        };
    }

    public string User { get; }

    public static async Task<MqttNetBenchConnection> ConnectAsync(
        IPEndPoint server, IPAddress? source, string user, string? password, MqttDialect dialect, LoadCounters counters, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var connection = new MqttNetBenchConnection(client, user, dialect, counters);
        // The builder sets the TCP options' remote end point from WithEndPoint when it builds, over anything set here.
        var options = new MqttClientOptionsBuilder()
            .WithEndPoint(server)
            .WithTcpServer(o =>
            {
                o.NoDelay = true;
                if (source is not null)
                {
                    o.LocalEndpoint = new IPEndPoint(source, 0);
                }
            })
            .WithClientId(user)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (password is not null)
        {
            options.WithCredentials(user, password);
        }

        try
        {
            await client.ConnectAsync(options.Build(), cancellationToken);
            var subscribed = await client.SubscribeAsync(MqttDialect.InboxTopic(user), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
            if (subscribed.Items.Any(i => (int)i.ResultCode > 1))
            {
                throw new IOException($"the subscription to {MqttDialect.InboxTopic(user)} was refused");
            }

            return connection;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void SendDirect(string to, byte[] body)
    {
        if (_lastTopic.To != to)
        {
            _lastTopic = (to, _dialect.SendTopic(to));
        }

        var due = MessageStamp.TryRead(body, out var scheduled, out var measured) && measured ? scheduled : 0;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_lastTopic.Topic).WithPayload(body).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        _counters.OnSent();
        // PublishAsync completes with the PUBACK, as a hub invocation completes with its result in SignalRTarget.
        _client.PublishAsync(message).ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    _counters.OnAcked(due);
                }
                else
                {
                    _counters.OnError(t.Exception?.GetBaseException().Message ?? "publish cancelled");
                }
            },
            TaskContinuationOptions.ExecuteSynchronously);
    }

    public void SendGroup(string group, byte[] body) =>
        throw new NotSupportedException("the MQTT targets measure 1:1 messages only");

    public Task JoinGroupAsync(string group, IReadOnlyList<string> members, bool creator, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the MQTT targets measure 1:1 messages only");

    // MQTTnet sends PINGREQ on its own within the keep-alive period.
    public void Heartbeat()
    {
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
