using ImActors.Edge.Auth;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using static ImActors.Edge.Dispatch.RequestFields;

namespace ImActors.Edge.Dispatch;

/// <summary>The group.* requests and read.count: one call to the group's grain each, by the connection's user.</summary>
public sealed class GroupRequests(GrainRefs grains)
{
    public async Task<ResultFrame> ExecuteAsync(string user, RequestFrame r)
    {
        var actor = Actor.OfUser(user);
        switch (r.Op)
        {
            case RequestOps.GroupCreate:
                return Info(await Group(r).Create(actor, Members(r, required: false), r.Open));
            case RequestOps.GroupAdd:
                return Changed(await Group(r).AddMembers(actor, Members(r, required: true)));
            case RequestOps.GroupRemove:
                return Changed(await Group(r).RemoveMembers(actor, Members(r, required: true)));
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
                return Changed(await Group(r).SetRole(actor, Member(r), role));
            case RequestOps.GroupMute:
                return Changed(await Group(r).Mute(actor, Member(r), r.Muted));
            case RequestOps.GroupTransfer:
                return Changed(await Group(r).TransferOwnership(actor, Member(r)));
            case RequestOps.GroupDissolve:
                return Changed(await Group(r).Dissolve(actor));
            case RequestOps.GroupInfo:
                return Info(await Group(r).GetInfo(actor));
            case RequestOps.GroupMembers:
                if (r.After is not null && !Identifiers.IsValid(r.After))
                {
                    throw Invalid("after must be a user id");
                }

                var page = await Group(r).GetMembers(actor, r.After, Limit(r, 1000));
                return new ResultFrame
                {
                    Members = page.Members.Select(m => new MemberItem
                    {
                        User = m.User, Role = m.Role.ToString().ToLowerInvariant(), Muted = m.Muted, JoinedSeq = m.JoinedSeq,
                    }).ToArray(),
                    Next = page.Next,
                };
            case RequestOps.ReadCount:
                var count = await Group(r).GetReadCount(actor, Seq(r));
                return new ResultFrame { Seq = count.Seq, Read = count.Read, Total = count.Members };
            default:
                throw UnknownOp(r.Op);
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

    private static ResultFrame Info(GroupInfo info) => new()
    {
        Group = new GroupItem
        {
            Id = info.GroupId, Owner = info.Owner, Open = info.Open, MemberCount = info.MemberCount, Seq = info.Seq, MaxMembers = info.MaxMembers,
        },
    };

    private static ResultFrame Changed(GroupChange change) => new() { Seq = change.Seq, Changed = change.Changed };
}
