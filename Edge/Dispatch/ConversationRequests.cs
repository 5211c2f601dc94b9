using ImActors.Edge.Auth;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using static ImActors.Edge.Dispatch.RequestFields;

namespace ImActors.Edge.Dispatch;

/// <summary>The requests about the user's conversations: the list of them, read marks and recalls.</summary>
public sealed class ConversationRequests(GrainRefs grains)
{
    public async Task<ResultFrame> ExecuteAsync(string user, string device, RequestFrame r)
    {
        switch (r.Op)
        {
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
                    : await grains.Get<IGroupGrain>(recallGroup).Recall(Actor.OfUser(user), Seq(r));
                return new ResultFrame { Seq = eventSeq };
            default:
                throw UnknownOp(r.Op);
        }
    }

    private static (string? Peer, string? Group) Conversation(RequestFrame r)
    {
        if ((r.Peer is null) == (r.Group is null))
        {
            throw Invalid("name exactly one of peer and group");
        }

        return Identifiers.IsValid(r.Peer ?? r.Group) ? (r.Peer, r.Group) : throw Invalid("peer/group must be a valid id");
    }

    private static ConversationItem Item(Conversation c) => new()
    {
        Type = c.Kind == ConversationKind.Group ? "group" : "user", Id = c.Id, LastSeq = c.LastSeq, ReadSeq = c.ReadSeq,
        Unread = c.Unread, PeerReadSeq = c.PeerReadSeq, FirstSeq = c.FirstSeq,
    };

    private static string CursorOf(Conversation c) => (c.Kind == ConversationKind.Group ? "g:" : "u:") + c.Id;
}
