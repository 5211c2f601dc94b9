using ImActors.Client.Transports;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Connections;

/// <summary>
/// One welcomed connection: its transport and a token cancelled when it ends. Whatever answers a frame sends
/// through the connection the frame came on, so an answer meant for one connection never goes out on the next.
/// </summary>
internal readonly record struct Connection(IFrameTransport Transport, CancellationToken Ended)
{
    public ValueTask SendAsync(byte[] frame) => Transport.SendAsync(frame, Ended);

    public ValueTask SendAsync<T>(FrameKind kind, T body) => SendAsync(FrameEncoder.Encode(kind, body));
}
