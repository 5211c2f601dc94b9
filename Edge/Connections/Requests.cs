using ImActors.Grains.Interfaces;
using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Connections;

/// <summary>
/// Request frames: group management, conversations, read marks and recalls. Each is checked here, turned into
/// one grain call on behalf of the connection's user, and answered with a result or an error carrying its rid.
/// </summary>
public sealed class Requests(GrainRefs grains, ClusterCalls cluster)
{
    private const int DefaultPage = 100;

    public async Task HandleAsync(ClientConnection connection, RequestFrame request)
    {
        if (!Identifiers.IsValidRequestId(request.RequestId))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "rid must be 1-128 characters of letters, digits and . _ - @ :");
            return;
        }

        var (user, device) = (connection.UserId!, connection.Session!.Device);
        var done = await cluster.TryAsync(
            () => ExecuteAsync(user, device, request), Repeatable.Contains(request.Op) ? CallPolicy.Retried : CallPolicy.Once);
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

    /// <summary>
    /// Requests whose second run changes nothing the first did not: they are retried through a failover like
    /// sends. The others (join, leave, remove, transfer, dissolve, recall) may be refused the second time after a first
    /// run that did happen, so they get one attempt.
    /// </summary>
    private static readonly HashSet<string> Repeatable =
    [
        RequestOps.GroupCreate, RequestOps.GroupAdd, RequestOps.GroupRole, RequestOps.GroupMute, RequestOps.GroupInfo,
        RequestOps.GroupMembers, RequestOps.ReadCount, RequestOps.Read, RequestOps.Conversations,
    ];

    private async Task<ResultFrame> ExecuteAsync(string user, string device, RequestFrame r)
    {
        switch (r.Op)
        {
            case RequestOps.GroupCreate:
                return Info(await Group(r).Create(user, Members(r, required: false), r.Open));
            case RequestOps.GroupAdd:
                return Changed(await Group(r).AddMembers(user, Members(r, required: true)));
            case RequestOps.GroupRemove:
                return Changed(await Group(r).RemoveMembers(user, Members(r, required: true)));
            case RequestOps.GroupJoin:
                return Changed(await Group(r).Join(user));
            case RequestOps.GroupLeave:
                return Changed(await Group(r).Leave(user));
            case RequestOps.GroupRole:
                var role = r.Role switch
                {
                    "admin" => GroupRole.Admin,
                    "member" => GroupRole.Member,
                    _ => throw Invalid("role must be \"admin\" or \"member\""),
                };
                return Changed(await Group(r).SetRole(user, Member(r), role));
            case RequestOps.GroupMute:
                return Changed(await Group(r).Mute(user, Member(r), r.Muted));
            case RequestOps.GroupTransfer:
                return Changed(await Group(r).TransferOwnership(user, Member(r)));
            case RequestOps.GroupDissolve:
                return Changed(await Group(r).Dissolve(user));
            case RequestOps.GroupInfo:
                return Info(await Group(r).GetInfo(user));
            case RequestOps.GroupMembers:
                if (r.After is not null && !Identifiers.IsValid(r.After))
                {
                    throw Invalid("after must be a user id");
                }

                var page = await Group(r).GetMembers(user, r.After, Limit(r, 1000));
                return new ResultFrame
                {
                    Members = page.Members.Select(m => new MemberItem
                    {
                        User = m.User, Role = m.Role.ToString().ToLowerInvariant(), Muted = m.Muted, JoinedSeq = m.JoinedSeq,
                    }).ToArray(),
                    Next = page.Next,
                };
            case RequestOps.ReadCount:
                var count = await Group(r).GetReadCount(user, Seq(r));
                return new ResultFrame { Seq = count.Seq, Read = count.Read, Total = count.Members };
            case RequestOps.Read:
                var (peer, group) = Conversation(r);
                var read = await grains.Get<IUserGrain>(user).MarkRead(peer, group, Seq(r), device);
                return new ResultFrame { Read = read.ReadSeq, Total = read.Unread };
            case RequestOps.Conversations:
                var limit = Limit(r, 500);
                var conversations = await grains.Get<IUserGrain>(user).GetConversations(r.After, limit);
                return new ResultFrame
                {
                    Conversations = conversations.Select(Item).ToArray(),
                    Next = conversations.Count == limit ? CursorOf(conversations[^1]) : null,
                };
            case RequestOps.Recall:
                var (recallPeer, recallGroup) = Conversation(r);
                var eventSeq = recallGroup is null
                    ? await grains.Get<IUserGrain>(user).Recall(recallPeer!, Seq(r), device)
                    : await grains.Get<IGroupGrain>(recallGroup).Recall(user, Seq(r));
                return new ResultFrame { Seq = eventSeq };
            default:
                throw Invalid($"unknown op \"{r.Op}\"; see the protocol's list of request ops");
        }
    }

    private IGroupGrain Group(RequestFrame r) =>
        Identifiers.IsValid(r.Group) ? grains.Get<IGroupGrain>(r.Group!) : throw Invalid("group must be a valid group id");

    private static string[] Members(RequestFrame r, bool required)
    {
        var members = r.Members ?? [];
        if (required && members.Length == 0)
        {
            throw Invalid("members must name at least one user");
        }

        return members.All(Identifiers.IsValid) ? members : throw Invalid("members must be valid user ids");
    }

    private static string Member(RequestFrame r) => Identifiers.IsValid(r.Member) ? r.Member! : throw Invalid("member must be a valid user id");

    private static long Seq(RequestFrame r) => r.Seq >= 1 ? r.Seq : throw Invalid("seq must be 1 or more");

    private static int Limit(RequestFrame r, int max) =>
        r.Limit == 0 ? Math.Min(DefaultPage, max) : r.Limit >= 1 && r.Limit <= max ? r.Limit : throw Invalid($"limit must be 1-{max}");

    private static (string? Peer, string? Group) Conversation(RequestFrame r)
    {
        if ((r.Peer is null) == (r.Group is null))
        {
            throw Invalid("name exactly one of peer and group");
        }

        return Identifiers.IsValid(r.Peer ?? r.Group) ? (r.Peer, r.Group) : throw Invalid("peer/group must be a valid id");
    }

    private static ResultFrame Info(GroupInfo info) => new()
    {
        Group = new GroupItem
        {
            Id = info.GroupId, Owner = info.Owner, Open = info.Open, MemberCount = info.MemberCount, Seq = info.Seq, MaxMembers = info.MaxMembers,
        },
    };

    private static ResultFrame Changed(GroupChange change) => new() { Seq = change.Seq, Changed = change.Changed };

    private static ConversationItem Item(Conversation c) => new()
    {
        Type = c.Kind == ConversationKind.Group ? "group" : "user", Id = c.Id, LastSeq = c.LastSeq, ReadSeq = c.ReadSeq,
        Unread = c.Unread, PeerReadSeq = c.PeerReadSeq, FirstSeq = c.FirstSeq,
    };

    private static string CursorOf(Conversation c) => (c.Kind == ConversationKind.Group ? "g:" : "u:") + c.Id;

    private static RefusedException Invalid(string reason) => new(Refusal.InvalidRequest, reason);
}
