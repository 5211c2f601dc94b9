using System.IO.Pipelines;
using ImActors.Edge.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Connections;

/// <summary>Runs the protocol over a transport's duplex pipe: the one entry point every transport uses.</summary>
public sealed class ClientConnectionFactory(
    SessionProtocol protocol, LocalConnections connections, IOptions<EdgeSettings> settings, ILogger<ClientConnection> logger)
{
    /// <summary>Ends when the connection is closed and unregistered.</summary>
    public Task RunAsync(IDuplexPipe transport, Action abort) =>
        new ClientConnection(transport, abort, protocol, connections, settings.Value, logger).RunAsync();
}
