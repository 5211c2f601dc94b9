using System.Buffers;
using ImActors.Protocol.Frames;
using MessagePack;

namespace ImActors.Protocol.Framing;

/// <summary>A frame's kind and its deserialized body.</summary>
public readonly record struct Frame(FrameKind Kind, object Body);

/// <summary>A frame that could not be understood; <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public sealed class ProtocolViolationException(int code, string reason) : Exception(reason)
{
    public int Code { get; } = code;
}

/// <summary>Parses a frame payload (<c>[kind, body]</c>) into its typed body. One implementation for every transport and both ends.</summary>
public static class FrameDecoder
{
    public static Frame Decode(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        int kind;
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2)
            {
                throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "a frame is a MessagePack array [kind, body]");
            }

            kind = reader.ReadInt32();
        }
        catch (MessagePackSerializationException e)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "frame is not valid MessagePack: " + e.Message);
        }
        catch (OverflowException)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "frame kind is not a 32-bit integer");
        }
        catch (EndOfStreamException)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "frame ends early");
        }

        object body;
        try
        {
            body = (FrameKind)kind switch
            {
                FrameKind.Hello => Read<HelloFrame>(ref reader),
                FrameKind.Welcome => Read<WelcomeFrame>(ref reader),
                FrameKind.Send => Read<SendFrame>(ref reader),
                FrameKind.Ack => Read<AckFrame>(ref reader),
                FrameKind.Error => Read<ErrorFrame>(ref reader),
                FrameKind.Message => Read<MessageFrame>(ref reader),
                FrameKind.Delivered => Read<DeliveredFrame>(ref reader),
                FrameKind.Sync => Read<SyncFrame>(ref reader),
                FrameKind.SyncPage => Read<SyncPageFrame>(ref reader),
                FrameKind.Ping => Read<PingFrame>(ref reader),
                FrameKind.Pong => Read<PongFrame>(ref reader),
                FrameKind.Closing => Read<ClosingFrame>(ref reader),
                FrameKind.Request => Read<RequestFrame>(ref reader),
                FrameKind.Result => Read<ResultFrame>(ref reader),
                FrameKind.Typing => Read<TypingFrame>(ref reader),
                FrameKind.ReadState => Read<ReadStateFrame>(ref reader),
                FrameKind.Receipt => Read<ReceiptFrame>(ref reader),
                FrameKind.Presence => Read<PresenceFrame>(ref reader),
                FrameKind.Reauth => Read<ReauthFrame>(ref reader),
                FrameKind.Reauthed => Read<ReauthedFrame>(ref reader),
                FrameKind.Refresh => Read<RefreshFrame>(ref reader),
                FrameKind.Refreshed => Read<RefreshedFrame>(ref reader),
                _ => throw new ProtocolViolationException(ErrorCodes.UnknownKind, $"unknown frame kind {kind}"),
            };
        }
        catch (MessagePackSerializationException e)
        {
            throw new ProtocolViolationException(
                ErrorCodes.MalformedFrame, $"body of frame kind {kind} is not valid: {Innermost(e).Message}");
        }
        catch (EndOfStreamException)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "frame ends early");
        }

        if (!reader.End)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "trailing bytes after the frame body");
        }

        return new Frame((FrameKind)kind, body);
    }

    private static T Read<T>(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "a frame body is a MessagePack map");
        }

        return MessagePackSerializer.Deserialize<T>(ref reader, WireOptions.Instance)
            ?? throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "frame body is nil");
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
