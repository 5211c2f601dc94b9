using System.Diagnostics;
using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Compression;
using ImActors.Edge.Connections;
using ImActors.Edge.Metrics;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Send frames, 1:1 and group: checked here, stored by the recipient's user grain or the group's grain, and
/// answered with an ack, or an error carrying the cmid. A resend with the same cmid is acked as a duplicate,
/// which is what makes retrying a send through a failover safe.
/// </summary>
public sealed class SendHandler(GrainRefs grains, ClusterCalls cluster, WireBodies bodies, EdgeMetrics metrics)
{
    public const int MaxContentTypeLength = 100;

    public async Task SendAsync(ClientConnection connection, SendFrame send)
    {
        var cmid = send.ClientMessageId;
        if (!Identifiers.IsValid(cmid))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, $"cmid must be {Ids.Rule}",
                clientMessageId: string.IsNullOrEmpty(cmid) ? null : cmid);
            return;
        }

        // The system (to: "") names a conversation but receives nothing: services send as the system, clients never to it.
        if (!ConversationRef.TryOf(send.To, send.Group, out var conversation) || conversation.IsSystem)
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "name exactly one of to (a user id) and group (a group id)", clientMessageId: cmid);
            return;
        }

        if (string.IsNullOrEmpty(send.ContentType) || send.ContentType.Length > MaxContentTypeLength)
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "contentType must be 1-100 characters", clientMessageId: cmid);
            return;
        }

        if (SystemContentTypes.IsReserved(send.ContentType))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "content types application/vnd.imactors.* are written by the server only",
                clientMessageId: cmid);
            return;
        }

        if (!bodies.TryOpen(send, out var body, out var refusal))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, refusal, clientMessageId: cmid);
            return;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var sent = await cluster.TryAsync(() => send.Group is { } group
            ? grains.Get<IGroupGrain>(group).Send(
                new GroupSendRequest(Actor.OfUser(connection.UserId!), connection.Session, cmid, send.ContentType, body))
            : grains.Get<IUserGrain>(send.To!).Send(
                new SendRequest(connection.UserId!, connection.Session!.Device, cmid, send.To!, send.ContentType, body)),
            CallPolicy.Retried);
        if (sent.Error is { } error)
        {
            metrics.SendFailed(send.Group is not null, error.Code);
            connection.ReplyError(error, clientMessageId: cmid);
            return;
        }

        metrics.Acked(send.Group is not null, startedAt);

        var result = sent.Value;
        connection.Reply(FrameKind.Ack, new AckFrame
        {
            ClientMessageId = cmid, MessageId = result.MessageId, Seq = result.Seq, Timestamp = result.Timestamp,
            Duplicate = result.Duplicate, PeerSeq = result.RecipientSeq,
        });
    }
}
