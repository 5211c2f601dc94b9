using ImActors.Edge.Connections;
using Microsoft.AspNetCore.Connections;

namespace ImActors.Edge.Transports;

/// <summary>Raw TCP: Kestrel's connection pipe already carries length-prefixed frames.</summary>
public sealed class TcpFrameHandler(ConnectionLoop loop) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        loop.RunAsync(connection.Transport, connection.Abort, "tcp");
}
