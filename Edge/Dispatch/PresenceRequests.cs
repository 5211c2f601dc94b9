using ImActors.Edge.Auth;
using ImActors.Edge.Delivery;
using ImActors.Edge.Presence;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using static ImActors.Edge.Dispatch.RequestFields;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// The presence.* requests: watches are this edge's own (<see cref="LocalWatches"/>, which asks a watched user's grain
/// only for the edge's first watcher), queries one call to the presence directory, a group's online members one call
/// to the group.
/// </summary>
public sealed class PresenceRequests(GrainRefs grains, LocalWatches watches)
{
    public async Task<ResultFrame> ExecuteAsync(string user, long connection, RequestFrame r)
    {
        switch (r.Op)
        {
            case RequestOps.PresenceWatch:
                return Items(await watches.WatchAsync(connection, Users(r)));
            case RequestOps.PresenceUnwatch:
                return new ResultFrame { Changed = watches.Unwatch(connection, Users(r)) };
            case RequestOps.PresenceQuery:
                return Items(await grains.Get<IPresenceDirectory>(IPresenceDirectory.Key).GetPresence(Users(r)));
            case RequestOps.PresenceGroup:
                if (r.After is not null && !Identifiers.IsValid(r.After))
                {
                    throw Invalid("after must be a user id");
                }

                var group = Identifiers.IsValid(r.Group) ? r.Group! : throw Invalid("group must be a valid group id");
                var page = await grains.Get<IGroupGrain>(group).GetOnlineMembers(Actor.OfUser(user), r.After, Limit(r, 1000));
                return new ResultFrame { Total = page.Count, Users = page.Members, Next = page.Next };
            default:
                throw UnknownOp(r.Op);
        }
    }

    private static string[] Users(RequestFrame r)
    {
        var users = r.Members ?? [];
        if (users.Length == 0 || users.Length > IPresenceDirectory.MaxUsers)
        {
            throw Invalid($"members must name 1-{IPresenceDirectory.MaxUsers} users");
        }

        return users.All(Identifiers.IsValid) ? users : throw Invalid($"members must be valid user ids ({Ids.Rule})");
    }

    private static ResultFrame Items(UserPresence[] presence) => new() { Presence = presence.Select(PresenceFrames.From).ToArray() };
}
