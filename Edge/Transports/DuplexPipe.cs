using System.IO.Pipelines;

namespace ImActors.Edge.Transports;

/// <summary>
/// Two pipes seen as one connection by <see cref="Connections.ConnectionLoop"/>: how a transport that translates (a
/// WebSocket's messages, MQTT's packets) hands the protocol length-prefixed frames as raw TCP would.
/// </summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
