using ImActors.Edge.Compression;
using ImActors.Edge.Connections;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Edge.Delivery;

/// <summary>
/// One push, encoded once for every connection it goes to: as it is, and (for a message whose body compresses, made on
/// the first connection that takes it) compressed. A push to a thousand connections still costs at most two encodings.
/// </summary>
internal sealed class PushFrame
{
    private readonly byte[] _plain;
    private readonly StoredMessage? _message;
    private readonly WireBodies? _bodies;
    private byte[]? _compressed;

    private PushFrame(byte[] plain, StoredMessage? message, WireBodies? bodies)
    {
        _plain = plain;
        _message = message;
        _bodies = bodies;
    }

    /// <summary>A frame every connection gets as it is (notices, presence).</summary>
    public static implicit operator PushFrame(byte[] frame) => new(frame, null, null);

    public static PushFrame Of(StoredMessage message, WireBodies bodies) =>
        new(FrameEncoder.Encode(FrameKind.Message, MessageFrames.From(message)), message, bodies);

    public byte[] For(ClientConnection connection)
    {
        if (!connection.Compresses || _message is null)
        {
            return _plain;
        }

        // Pushes are handed out on one thread per call: no lock. A body that does not compress keeps the plain bytes.
        return _compressed ??= _bodies!.Compress(MessageFrames.From(_message)) is { Compression: not null } compressed
            ? FrameEncoder.Encode(FrameKind.Message, compressed)
            : _plain;
    }
}
