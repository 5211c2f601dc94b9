using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Connections;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Request frames: group management (<see cref="GroupRequests"/>), conversations, read marks and recalls
/// (<see cref="ConversationRequests"/>), presence (<see cref="PresenceRequests"/>), the block list (<see cref="BlockRequests"/>). Each is checked, turned into one grain call on behalf of the connection's
/// user, and answered with a result or an error carrying its rid.
/// </summary>
public sealed class RequestHandler(
    GroupRequests groups, ConversationRequests conversations, PresenceRequests presence, BlockRequests blocks, ClusterCalls cluster)
{
    /// <summary>
    /// Requests whose second run changes nothing the first did not: they are retried through a failover like
    /// sends. The others (join, leave, remove, transfer, dissolve, recall) may be refused the second time after a first
    /// run that did happen, so they get one attempt; so does presence.watch, whose grain calls retry on their own and
    /// whose abandoned attempt would undo the next one's watches when it failed.
    /// </summary>
    private static readonly HashSet<string> Repeatable =
    [
        RequestOps.GroupCreate, RequestOps.GroupAdd, RequestOps.GroupRole, RequestOps.GroupMute, RequestOps.GroupInfo,
        RequestOps.GroupMembers, RequestOps.ReadCount, RequestOps.Read, RequestOps.Conversations,
        RequestOps.PresenceUnwatch, RequestOps.PresenceQuery, RequestOps.PresenceGroup,
        RequestOps.Block, RequestOps.Unblock, RequestOps.Blocks,
    ];

    public async Task HandleAsync(ClientConnection connection, RequestFrame request)
    {
        if (!Identifiers.IsValidRequestId(request.RequestId))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "rid must be 1-128 characters of letters, digits and . _ - @ :");
            return;
        }

        var (user, device) = (connection.UserId!, connection.Session!.Device);
        var done = await cluster.TryAsync(
            () => ExecuteAsync(user, device, connection.Id, request), Repeatable.Contains(request.Op) ? CallPolicy.Retried : CallPolicy.Once);
        if (done.Error is { } error)
        {
            connection.ReplyError(error, requestId: request.RequestId);
            return;
        }

        var result = done.Value;
        result.RequestId = request.RequestId;
        result.Op = request.Op;
        connection.Reply(FrameKind.Result, result);
    }

    /// <summary>A request a field check refuses throws <see cref="RequestFields.Invalid"/>, which reaches the client as invalid_request.</summary>
    private Task<ResultFrame> ExecuteAsync(string user, string device, long connection, RequestFrame r) => r.Op switch
    {
        RequestOps.GroupCreate or RequestOps.GroupAdd or RequestOps.GroupRemove or RequestOps.GroupJoin or RequestOps.GroupLeave
            or RequestOps.GroupRole or RequestOps.GroupMute or RequestOps.GroupTransfer or RequestOps.GroupDissolve
            or RequestOps.GroupInfo or RequestOps.GroupMembers or RequestOps.ReadCount => groups.ExecuteAsync(user, r),
        RequestOps.Read or RequestOps.Conversations or RequestOps.Recall => conversations.ExecuteAsync(user, device, r),
        RequestOps.PresenceWatch or RequestOps.PresenceUnwatch or RequestOps.PresenceQuery or RequestOps.PresenceGroup =>
            presence.ExecuteAsync(user, connection, r),
        RequestOps.Block or RequestOps.Unblock or RequestOps.Blocks => blocks.ExecuteAsync(user, r),
        _ => throw RequestFields.UnknownOp(r.Op),
    };
}
