using ImActors.Edge.Connections;
using Microsoft.AspNetCore.Connections;

namespace ImActors.Edge.Transports;

/// <summary>Raw TCP: Kestrel's connection pipe already carries length-prefixed frames.</summary>
public sealed class TcpFrameHandler(ClientConnectionFactory connections) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        connections.RunAsync(connection.Transport, connection.Abort);
}
