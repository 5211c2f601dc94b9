using System.IO.Pipelines;
using System.Text;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// Reads the client's MQTT packets and turns them into the session core's frames: CONNECT into a hello, a PUBLISH to a
/// send topic into a send, a PUBACK into a delivery report, PINGREQ into a ping, SUBSCRIBE into subscriptions (a group's
/// checked with a one-entry sync, which only members may read). Whatever MQTT calls a protocol violation closes the
/// connection; what was sent before it is still stored and acknowledged.
/// </summary>
internal sealed class MqttInbound(MqttLink link, MqttCursors cursors, int maxPacketBytes)
{
    /// <summary>The rid of the syncs that resume the inbox.</summary>
    public const string ResumeRid = "mqtt-resume";

    /// <summary>The rids of a SUBSCRIBE's group checks: <c>mqtt-sub:{packet id}:{filter index}</c>.</summary>
    public const string SubscribeRid = "mqtt-sub:";

    public async Task RunAsync(PipeReader socket)
    {
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(link.Stopping);
        try
        {
            while (true)
            {
                var read = await socket.ReadAsync(keepAlive.Token);
                var buffer = read.Buffer;
                try
                {
                    while (MqttPacketReader.TryRead(ref buffer, maxPacketBytes, out var packet))
                    {
                        if (!await HandleAsync(packet))
                        {
                            return;
                        }

                        // MQTT's keep-alive: one and a half intervals without a packet close the connection (3.1.1 section 3.1.2.10).
                        if (link.Session?.Connect.KeepAliveSeconds is > 0 and var seconds)
                        {
                            keepAlive.CancelAfter(TimeSpan.FromSeconds(seconds * 1.5));
                        }
                    }

                    if (read.IsCompleted)
                    {
                        return;
                    }
                }
                finally
                {
                    socket.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (MqttProtocolException e)
        {
            link.Close(e.Message);
        }
        catch (OperationCanceledException) when (!link.IsClosed)
        {
            link.Close("keep-alive passed without a packet");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The connection is ending from the other half, or the socket went away.
        }
    }

    /// <summary>False when the connection ends here.</summary>
    private async ValueTask<bool> HandleAsync(MqttPacket packet)
    {
        var session = link.Session;
        if (session is null)
        {
            return packet is ConnectPacket connect
                ? await ConnectAsync(connect)
                : throw new MqttProtocolException($"{packet.GetType().Name} before CONNECT");
        }

        switch (packet)
        {
            case ConnectPacket:
                throw new MqttProtocolException("a second CONNECT");
            case PublishPacket publish:
                return await PublishAsync(session, publish);
            case PubAckPacket ack:
                if (session.Acknowledged(ack.PacketId) is not { } cursor)
                {
                    return true;
                }

                cursors.Save(session);
                return await link.Core.WriteAsync(FrameEncoder.Encode(FrameKind.Delivered, new DeliveredFrame { UpTo = cursor }));
            case SubscribePacket subscribe:
                return await SubscribeAsync(session, subscribe);
            case UnsubscribePacket unsubscribe:
                foreach (var filter in unsubscribe.Filters)
                {
                    session.Unsubscribe(filter);
                }

                return await link.Socket.WriteAsync(o => MqttPacketWriter.UnsubAck(o, unsubscribe.PacketId));
            case PingReqPacket:
                return await link.Core.WriteAsync(FrameEncoder.Encode(FrameKind.Ping, new PingFrame()));
            case DisconnectPacket:
                return false;
            default:
                throw new MqttProtocolException($"unexpected {packet.GetType().Name}");
        }
    }

    private async ValueTask<bool> ConnectAsync(ConnectPacket connect)
    {
        if (connect.ProtocolName != "MQTT" || connect.ProtocolLevel != 4)
        {
            return await RefuseAsync(ConnAckCodes.UnacceptableProtocolVersion, $"protocol {connect.ProtocolName} level {connect.ProtocolLevel}; this edge speaks MQTT 3.1.1 (level 4)");
        }

        if (!Ids.IsValid(connect.ClientId))
        {
            return await RefuseAsync(ConnAckCodes.IdentifierRejected, $"the client id is the device id: {Ids.Rule}");
        }

        if (connect.Password is not { Length: > 0 } password)
        {
            return await RefuseAsync(ConnAckCodes.BadUserNameOrPassword, "the password must be the user's access token");
        }

        var session = new MqttSession(connect);
        link.Session = session;
        var hello = new HelloFrame { Token = Encoding.UTF8.GetString(password), Device = connect.ClientId, Platform = "mqtt", Versions = [ProtocolDefaults.CurrentVersion] };
        return await link.Core.WriteAsync(FrameEncoder.Encode(FrameKind.Hello, hello));
    }

    private async ValueTask<bool> RefuseAsync(byte code, string reason)
    {
        await link.Socket.WriteAsync(o => MqttPacketWriter.ConnAck(o, sessionPresent: false, code));
        link.Close(reason);
        return false;
    }

    private async ValueTask<bool> PublishAsync(MqttSession session, PublishPacket publish)
    {
        if (MqttTopics.HasWildcard(publish.Topic))
        {
            throw new MqttProtocolException($"wildcard in the PUBLISH topic {publish.Topic}");
        }

        // MQTT 3.1.1 gives a server no negative PUBACK: a PUBLISH it will not take closes the connection (section 3.3.5).
        if (MqttTopics.SendTarget(publish.Topic) is not var (to, group))
        {
            link.Close($"PUBLISH to {publish.Topic}, which is not im/send/u/{{user}} or im/send/g/{{group}}");
            return false;
        }

        if (publish.QoS == 2)
        {
            link.Close("QoS 2 is not supported: publish with QoS 1");
            return false;
        }

        if (publish.QoS == 1 && publish.Dup && session.IsSendPending(publish.PacketId))
        {
            // The first copy is still being stored; its PUBACK answers both.
            return true;
        }

        var cmid = Guid.CreateVersion7().ToString("N");
        session.SendStarted(cmid, publish.PacketId);
        return await link.Core.WriteAsync(FrameEncoder.Encode(FrameKind.Send, new SendFrame
        {
            ClientMessageId = cmid, To = to, Group = group, ContentType = MqttPayloads.ContentTypeOf(publish.Payload), Body = publish.Payload,
        }));
    }

    private async ValueTask<bool> SubscribeAsync(MqttSession session, SubscribePacket subscribe)
    {
        // The user is known once the session core welcomed the connection; a client may SUBSCRIBE before its CONNACK.
        await session.Welcomed.Task;
        var results = new byte[subscribe.Filters.Count];
        var checks = new List<SyncFrame>();
        var resume = false;
        for (var i = 0; i < results.Length; i++)
        {
            var (filter, requested) = subscribe.Filters[i];
            // Pushes go out with QoS 1 at most: QoS 2's four-packet exchange buys nothing over the seq the payload carries.
            var qos = Math.Min(requested, (byte)1);
            if (filter == MqttTopics.InboxOf(session.User!))
            {
                results[i] = qos;
                resume |= session.SubscribeInbox(qos);
            }
            else if (MqttTopics.GroupOf(filter) is { } group)
            {
                results[i] = qos;
                checks.Add(new SyncFrame { Group = group, RequestId = $"{SubscribeRid}{subscribe.PacketId}:{i}", After = 0, Limit = 1 });
            }
            else
            {
                results[i] = 0x80;
            }
        }

        if (checks.Count == 0)
        {
            if (!await link.Socket.WriteAsync(o => MqttPacketWriter.SubAck(o, subscribe.PacketId, results)))
            {
                return false;
            }
        }
        else
        {
            // The SUBACK goes out when the last check is answered (MqttOutbound), before the resume's first page.
            session.SubAckWaits(subscribe.PacketId, results, checks.Count);
            foreach (var check in checks)
            {
                if (!await link.Core.WriteAsync(FrameEncoder.Encode(FrameKind.Sync, check)))
                {
                    return false;
                }
            }
        }

        return !resume || await link.Core.WriteAsync(ResumeFrom(session.ResumeAfter));
    }

    /// <summary>The next page of the inbox after <paramref name="after"/>.</summary>
    public static byte[] ResumeFrom(long after) =>
        FrameEncoder.Encode(FrameKind.Sync, new SyncFrame { RequestId = ResumeRid, After = after, Limit = ProtocolDefaults.SyncPageSize });
}
