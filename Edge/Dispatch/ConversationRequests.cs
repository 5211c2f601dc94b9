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
                var read = await grains.Get<IUserGrain>(user).MarkRead(ConversationRef.Of(r.Peer, r.Group), Seq(r), device);
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
                // The system conversation is refused by the user's grain: a right it lacks, not a bad id.
                var recalled = ConversationRef.Of(r.Peer, r.Group);
                var eventSeq = recalled.IsGroup
                    ? await grains.Get<IGroupGrain>(recalled.Group!).Recall(Actor.OfUser(user), Seq(r))
                    : await grains.Get<IUserGrain>(user).Recall(recalled.Peer!, Seq(r), device);
                return new ResultFrame { Seq = eventSeq };
            default:
                throw UnknownOp(r.Op);
        }
    }

    private static ConversationItem Item(Conversation c) => new()
    {
        Type = c.Kind switch { ConversationKind.Group => "group", ConversationKind.System => "system", _ => "user" },
        Id = c.Id, LastSeq = c.LastSeq, ReadSeq = c.ReadSeq, Unread = c.Unread, PeerReadSeq = c.PeerReadSeq, FirstSeq = c.FirstSeq,
    };

    // The order the conversation store pages in: groups, the system, users.
    private static string CursorOf(Conversation c) => c.Kind switch
    {
        ConversationKind.Group => "g:" + c.Id,
        ConversationKind.System => "s:",
        _ => "u:" + c.Id,
    };
}
