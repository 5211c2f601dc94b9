using ImActors.Protocol;
using ImActors.Protocol.Compression;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Connections;

/// <summary>
/// Inflates the compressed message bodies of a server frame as it arrives, so nothing past the connection sees a
/// compressed body (decision 105). A body that will not inflate breaks the connection like any malformed frame.
/// </summary>
internal static class ReceivedBodies
{
    // Server frames may be several times the client's frame limit (see ConnectionSupervisor); so may a body.
    private const int MaxBodyBytes = ProtocolDefaults.MaxFrameBytes * 4;

    public static void Open(object? body)
    {
        switch (body)
        {
            case MessageFrame message:
                Inflate(message);
                break;
            case SyncPageFrame page:
                foreach (var message in page.Messages ?? [])
                {
                    Inflate(message);
                }

                break;
        }
    }

    private static void Inflate(MessageFrame message)
    {
        if (BodyCompression.IsNone(message.Compression))
        {
            return;
        }

        if (message.Compression != BodyCompression.Deflate)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, $"message {message.Id} has an unknown compression '{message.Compression}'");
        }

        if (BodyCompression.TryInflate(message.Body, MaxBodyBytes, out var body) != InflateStatus.Inflated)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, $"message {message.Id}'s compressed body does not inflate");
        }

        message.Body = body;
        message.Compression = null;
    }
}
