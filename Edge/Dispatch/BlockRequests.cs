using ImActors.Edge.Auth;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using static ImActors.Edge.Dispatch.RequestFields;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// The caller's block list: block, unblock, and a page of it. The user's grain decides (a valid id, not the caller, the
/// limit) and holds the list; the edge pages it, since the whole list (1000 ids at most) is one grain answer.
/// </summary>
public sealed class BlockRequests(GrainRefs grains)
{
    public async Task<ResultFrame> ExecuteAsync(string user, RequestFrame r)
    {
        var grain = grains.Get<IUserGrain>(user);
        switch (r.Op)
        {
            case RequestOps.Block:
                return Changed(await grain.Block(Peer(r)));
            case RequestOps.Unblock:
                return Changed(await grain.Unblock(Peer(r)));
            case RequestOps.Blocks:
                if (r.After is not null && !Identifiers.IsValid(r.After))
                {
                    throw Invalid("after must be a user id");
                }

                var limit = Limit(r, IUserGrain.MaxBlocked);
                var blocked = await grain.GetBlocked();
                var page = blocked.Where(b => r.After is null || string.CompareOrdinal(b, r.After) > 0).Take(limit + 1).ToArray();
                var users = page.Take(limit).ToArray();
                return new ResultFrame { Users = users, Total = blocked.Count, Next = page.Length > limit ? users[^1] : null };
            default:
                throw UnknownOp(r.Op);
        }
    }

    // The system ("") is not a user and sends no 1:1 messages a block could refuse.
    private static string Peer(RequestFrame r) =>
        Identifiers.IsValid(r.Peer) ? r.Peer! : throw Invalid("peer must be the user id to block or unblock");

    private static ResultFrame Changed(bool changed) => new() { Changed = changed ? 1 : 0 };
}
