using System.IO.Pipelines;
using ImActors.Edge.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Connections;

/// <summary>Runs the protocol over a transport's duplex pipe: the one entry point every transport uses.</summary>
public sealed class ClientConnectionFactory(
    SessionProtocol protocol, LocalConnections connections, IOptions<EdgeSettings> settings, ILogger<ClientConnection> logger)
{
    public async Task RunAsync(IDuplexPipe transport, Action abort)
    {
        var connection = new ClientConnection(connections.NextId(), transport, abort, protocol, settings.Value, logger);
        connections.Add(connection);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            connections.Remove(connection);
        }
    }
}
