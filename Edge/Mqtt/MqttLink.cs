using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// What both halves of one MQTT connection hold: the writer to the client's socket, the writer into the session core's
/// pipe, the session once CONNECT arrived, and the switch that ends the connection.
/// </summary>
internal sealed class MqttLink(LockedWriter socket, LockedWriter core, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public LockedWriter Socket { get; } = socket;

    public LockedWriter Core { get; } = core;

    public ILogger Logger { get; } = logger;

    /// <summary>Set by the reader at CONNECT; null before.</summary>
    public volatile MqttSession? Session;

    /// <summary>Cancelled when either half ends the connection: the reader stops and nothing more is written to the client.</summary>
    public CancellationToken Stopping => _stop.Token;

    public bool IsClosed => _stop.IsCancellationRequested;

    /// <summary>
    /// Ends the connection, as MQTT 3.1.1 does for every error: by closing it. The reason goes to the log; the session
    /// core sees the client go and ends the session as for any closed socket.
    /// </summary>
    public void Close(string reason)
    {
        if (!_stop.IsCancellationRequested)
        {
            Logger.LogDebug("Closing MQTT connection of {ClientId}: {Reason}", Session?.Connect.ClientId, reason);
            _stop.Cancel();
            Session?.Welcomed.TrySetCanceled();
        }
    }

    public void Dispose() => _stop.Dispose();
}
