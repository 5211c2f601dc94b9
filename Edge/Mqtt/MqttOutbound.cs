using System.Buffers;
using System.IO.Pipelines;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// Reads what the session core answers and pushes, and writes it to the client as MQTT: the welcome as CONNACK (a
/// refused hello as CONNACK's refusal code), an ACK as the PUBACK of its PUBLISH, a pushed message as a PUBLISH to
/// <c>im/u/{self}</c> or <c>im/g/{group}</c> when subscribed, a pong as PINGRESP, the group checks' answers as the
/// SUBACK, the resume's pages as publishes in seq order. A closing frame closes the connection: MQTT 3.1.1 has no
/// server DISCONNECT.
/// </summary>
internal sealed class MqttOutbound(MqttLink link, MqttCursors cursors)
{
    public async Task RunAsync(PipeReader core)
    {
        try
        {
            while (true)
            {
                var read = await core.ReadAsync();
                var buffer = read.Buffer;
                while (FrameReader.TryRead(ref buffer, int.MaxValue, out var payload, out _) == FrameReadStatus.Frame)
                {
                    if (!link.IsClosed)
                    {
                        await HandleAsync(FrameDecoder.Decode(payload));
                    }
                }

                core.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await core.CompleteAsync();
        }
    }

    private async ValueTask HandleAsync(Frame frame)
    {
        var session = link.Session;
        switch (frame.Body)
        {
            case WelcomeFrame welcome when session is not null:
                await WelcomeAsync(session, welcome);
                break;
            case ErrorFrame error when session?.User is null:
                // The hello was refused: MQTT says so with CONNACK's code, then the close.
                await RefuseConnectAsync(ConnAckCode(error.Code), $"{error.Code} {error.Reason}");
                break;
            case ErrorFrame error:
                await ErrorAsync(session, error);
                break;
            case AckFrame ack when session?.SendEnded(ack.ClientMessageId) is { } packetId and not 0:
                await link.Socket.WriteAsync(o => MqttPacketWriter.PubAck(o, packetId));
                break;
            case MessageFrame message when session is not null:
                await PublishAsync(session, message, fromResume: false);
                break;
            case SyncPageFrame page when session is not null:
                await PageAsync(session, page);
                break;
            case PongFrame:
                await link.Socket.WriteAsync(MqttPacketWriter.PingResp);
                break;
            case ClosingFrame closing when session is not null && session.User is null:
                await RefuseConnectAsync(ConnAckCodes.ServerUnavailable, $"{closing.Code} {closing.Reason}");
                break;
            case ClosingFrame closing:
                link.Close($"{closing.Code} {closing.Reason}");
                break;
        }
    }

    private async ValueTask WelcomeAsync(MqttSession session, WelcomeFrame welcome)
    {
        var resume = await cursors.ResumePointAsync(welcome.User, session.Connect.ClientId, session.Connect.CleanSession, welcome.InboxSeq);
        if (resume.Error is { } error)
        {
            await RefuseConnectAsync(ConnAckCodes.ServerUnavailable, $"the session's cursor could not be read: {error.Reason}");
            return;
        }

        session.Welcome(welcome.User, resume.Value);
        // Session present is always 0: subscriptions are not kept between connections, so the client subscribes
        // again; the inbox resumes from the saved cursor when it does (decision 117).
        await link.Socket.WriteAsync(o => MqttPacketWriter.ConnAck(o, sessionPresent: false, ConnAckCodes.Accepted));
    }

    private async ValueTask RefuseConnectAsync(byte code, string reason)
    {
        await link.Socket.WriteAsync(o => MqttPacketWriter.ConnAck(o, sessionPresent: false, code));
        link.Close(reason);
    }

    private static byte ConnAckCode(int code) => code switch
    {
        ErrorCodes.NotAuthenticated or ErrorCodes.TokenExpired or ErrorCodes.TokenInvalid or ErrorCodes.TokenRevoked => ConnAckCodes.BadUserNameOrPassword,
        ErrorCodes.Banned => ConnAckCodes.NotAuthorized,
        ErrorCodes.InvalidRequest => ConnAckCodes.IdentifierRejected,
        _ => ConnAckCodes.ServerUnavailable,
    };

    private async ValueTask ErrorAsync(MqttSession session, ErrorFrame error)
    {
        if (error.ClientMessageId is { } cmid && session.SendEnded(cmid) is { } packetId)
        {
            if (packetId == 0)
            {
                return; // QoS 0: best effort, nobody to tell.
            }

            if (error.Retryable)
            {
                // Not stored: without a PUBACK the client sends it again when it reconnects (clean session 0) or retries.
                link.Close($"send not stored ({error.Code} {error.Reason}); the client publishes it again");
                return;
            }

            // Refused for good (not a member, blocked, invalid): MQTT 3.1.1 has no negative PUBACK, and closing would
            // only bring the same PUBLISH back after the reconnect. Acknowledged and dropped, and logged.
            link.Logger.LogInformation("MQTT PUBLISH of {ClientId} refused: {Code} {Reason}", session.Connect.ClientId, error.Code, error.Reason);
            await link.Socket.WriteAsync(o => MqttPacketWriter.PubAck(o, packetId));
            return;
        }

        if (error.RequestId is { } rid && rid.StartsWith(MqttInbound.SubscribeRid, StringComparison.Ordinal))
        {
            await SubAckAnsweredAsync(session, rid, grantedGroup: null);
        }
        else if (error.RequestId == MqttInbound.ResumeRid)
        {
            link.Close($"the inbox could not be read ({error.Code} {error.Reason}); the client resumes when it reconnects");
        }
    }

    private async ValueTask PageAsync(MqttSession session, SyncPageFrame page)
    {
        if (page.RequestId is { } rid && rid.StartsWith(MqttInbound.SubscribeRid, StringComparison.Ordinal))
        {
            await SubAckAnsweredAsync(session, rid, page.Group);
            return;
        }

        if (page.RequestId != MqttInbound.ResumeRid)
        {
            return;
        }

        foreach (var message in page.Messages)
        {
            await PublishAsync(session, message, fromResume: true);
        }

        if (page.HasMore && page.Messages.Length > 0)
        {
            // Posted, not awaited: this loop must not wait on the core's input while the core waits on this loop's.
            link.Core.Post(MqttInbound.ResumeFrom(page.Messages[^1].Seq));
            return;
        }

        foreach (var held in session.ResumeEnded())
        {
            await PublishAsync(session, held, fromResume: true);
        }
    }

    private async ValueTask SubAckAnsweredAsync(MqttSession session, string rid, string? grantedGroup)
    {
        var parts = rid[MqttInbound.SubscribeRid.Length..].Split(':');
        if (parts.Length == 2 && ushort.TryParse(parts[0], out var packetId) && int.TryParse(parts[1], out var index)
            && session.SubAckAnswered(packetId, index, grantedGroup) is { } results)
        {
            await link.Socket.WriteAsync(o => MqttPacketWriter.SubAck(o, packetId, results));
        }
    }

    private async ValueTask PublishAsync(MqttSession session, MessageFrame message, bool fromResume)
    {
        string topic;
        byte qos;
        long inboxSeq;
        if (message.Group is { } group)
        {
            if (session.GroupQoS(group) is not { } groupQoS)
            {
                return;
            }

            (topic, qos, inboxSeq) = (MqttTopics.GroupTopic(group), groupQoS, -1);
        }
        else
        {
            if (!session.TakeInbox(message, fromResume) || session.InboxQoS is not { } inboxQoS)
            {
                return;
            }

            (topic, qos, inboxSeq) = (MqttTopics.InboxOf(session.User!), inboxQoS, message.Seq);
        }

        ushort packetId = 0;
        if (qos > 0)
        {
            if (session.InFlight(inboxSeq) is not { } id)
            {
                link.Close($"{MqttSession.MaxInFlight} publishes unacknowledged; the client resumes when it reconnects");
                return;
            }

            packetId = id;
        }

        var payload = new ArrayBufferWriter<byte>(256 + message.Body.Length);
        MqttPayloads.WriteMessage(payload, message);
        await link.Socket.WriteAsync(o => MqttPacketWriter.Publish(o, topic, qos, packetId, payload.WrittenSpan));
    }
}
