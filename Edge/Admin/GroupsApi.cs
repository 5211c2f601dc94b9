using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using Microsoft.AspNetCore.Mvc;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>/api/v1/groups</c>: a group's creation, members, roles, mutes, owner and end, as <see cref="IGroupGrain"/> allows.
/// Every operation acts as the system (every right of an owner) unless <c>?as=USER</c> names a user, whose rights apply.
/// </summary>
public static class GroupsApi
{
    /// <param name="Owner">The group's first owner: a group is created by a user.</param>
    /// <param name="Members">Members besides the owner.</param>
    public sealed record CreateGroup(string? Id, string? Owner, string[]? Members, bool Open);

    public sealed record MemberList(string[]? Members);

    /// <param name="Role"><c>admin</c> or <c>member</c>.</param>
    public sealed record RoleChange(string? Role);

    public sealed record MuteChange(bool Muted);

    public sealed record OwnerChange(string? Owner);

    public static void MapGroups(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("groups");
        groups.MapPost("/", CreateAsync).WithName("createGroup").WithSummary("Create a group owned by a user (a retry with the same owner returns it)")
            .Produces<GroupInfo>();
        groups.MapGet("/{id}", (string id, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor) = (Group(grains, id), ActingAs(actingAs));
                return calls.RunAsync(() => group.GetInfo(actor), CallPolicy.Retried, Results.Ok);
            })
            .WithName("getGroup").WithSummary("The group's owner, openness, member count and timeline seq").Produces<GroupInfo>();
        groups.MapDelete("/{id}", (string id, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor) = (Group(grains, id), ActingAs(actingAs));
                return calls.RunAsync(() => group.Dissolve(actor), CallPolicy.Once, Results.Ok);
            })
            .WithName("dissolveGroup").WithSummary("Dissolve the group (its owner, or the system)").Produces<GroupChange>();
        groups.MapGet("/{id}/members", (string id, [FromQuery(Name = "as")] string? actingAs, string? after, int? limit, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, from, page) = (Group(grains, id), ActingAs(actingAs), ApiInput.OptionalId(after, "after"), limit ?? 100);
                ApiInput.Require(page is >= 1 and <= 1000, "limit", "limit must be 1-1000");
                return calls.RunAsync(() => group.GetMembers(actor, from, page), CallPolicy.Retried, Results.Ok);
            })
            .WithName("getMembers").WithSummary("A page of members ordered by user id; pass next as after for the next page").Produces<MemberPage>();
        groups.MapPost("/{id}/members", (string id, MemberList body, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, members) = (Group(grains, id), ActingAs(actingAs), ApiInput.UserIds(body.Members, "members", required: true));
                return calls.RunAsync(() => group.AddMembers(actor, members), CallPolicy.Retried, Results.Ok);
            })
            .WithName("addMembers").WithSummary("Add members (those already in are skipped)").Produces<GroupChange>();
        groups.MapDelete("/{id}/members/{member}", (string id, string member, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, removed) = (Group(grains, id), ActingAs(actingAs), ApiInput.Id(member, "member"));
                return calls.RunAsync(() => group.RemoveMembers(actor, [removed]), CallPolicy.Once, Results.Ok);
            })
            .WithName("removeMember").WithSummary("Remove a member").Produces<GroupChange>();
        groups.MapPut("/{id}/members/{member}/role", (string id, string member, RoleChange body, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, who) = (Group(grains, id), ActingAs(actingAs), ApiInput.Id(member, "member"));
                var role = body.Role switch
                {
                    "admin" => GroupRole.Admin,
                    "member" => GroupRole.Member,
                    _ => throw new ApiInputException("role", "role must be \"admin\" or \"member\" (ownership moves by PUT /owner)"),
                };
                return calls.RunAsync(() => group.SetRole(actor, who, role), CallPolicy.Retried, Results.Ok);
            })
            .WithName("setRole").WithSummary("Make a member an admin, or an admin a member").Produces<GroupChange>();
        groups.MapPut("/{id}/members/{member}/mute", (string id, string member, MuteChange body, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, who) = (Group(grains, id), ActingAs(actingAs), ApiInput.Id(member, "member"));
                return calls.RunAsync(() => group.Mute(actor, who, body.Muted), CallPolicy.Retried, Results.Ok);
            })
            .WithName("muteMember").WithSummary("Mute or unmute a member: a muted member cannot send").Produces<GroupChange>();
        groups.MapPut("/{id}/owner", (string id, OwnerChange body, [FromQuery(Name = "as")] string? actingAs, GrainRefs grains, AdminCalls calls) =>
            {
                var (group, actor, owner) = (Group(grains, id), ActingAs(actingAs), ApiInput.Id(body.Owner, "owner"));
                return calls.RunAsync(() => group.TransferOwnership(actor, owner), CallPolicy.Once, Results.Ok);
            })
            .WithName("transferOwnership").WithSummary("Make a member the owner; the old owner becomes an admin").Produces<GroupChange>();
    }

    private static Task<IResult> CreateAsync(CreateGroup body, GrainRefs grains, AdminCalls calls)
    {
        var id = ApiInput.Id(body.Id, "id");
        var owner = ApiInput.Id(body.Owner, "owner");
        var members = ApiInput.UserIds(body.Members, "members", required: false);
        var group = grains.Get<IGroupGrain>(id);
        return calls.RunAsync(() => group.Create(Actor.OfUser(owner), members, body.Open), CallPolicy.Retried, Results.Ok);
    }

    private static IGroupGrain Group(GrainRefs grains, string id) => grains.Get<IGroupGrain>(ApiInput.Id(id, "id"));

    /// <summary>
    /// Who the call acts as: the system, or the user named by <c>?as=</c>. Checked before the grain call, as every input
    /// is: a refusal thrown inside the call would be taken for the grain's.
    /// </summary>
    internal static Actor ActingAs(string? actingAs) => actingAs is null ? Actor.System : Actor.OfUser(ApiInput.Id(actingAs, "as"));
}
