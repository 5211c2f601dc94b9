using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Presence;
using Microsoft.AspNetCore.Mvc;

namespace ImActors.Edge.Admin;

/// <summary>
/// Presence for services: <c>/api/v1/presence</c>, many users in one call (one call to the presence directory, which
/// asks each user's grain), and <c>/api/v1/groups/{id}/online</c>, how many of a group's members are connected and a
/// page of them (one call to the group, which asks its edges).
/// </summary>
public static class PresenceApi
{
    public sealed record UserList(string[]? Users);

    public sealed record DeviceView(string Device, string Platform, DateTimeOffset Since);

    /// <param name="Online">Connected now, or within the offline grace after the last device left.</param>
    /// <param name="LastSeen">When the user's last session ended (null: never seen); for an online user, the time of the answer.</param>
    public sealed record UserPresenceView(string User, bool Online, DateTimeOffset? LastSeen, DeviceView[] Devices);

    /// <param name="Count">How many members are connected now (a member in the offline grace is not counted).</param>
    /// <param name="Next">Pass as <c>after</c> for the next page; null on the last.</param>
    public sealed record OnlinePage(int Count, string[] Users, string? Next);

    public static void MapPresence(this RouteGroupBuilder api)
    {
        api.MapGet("/presence", (string? users, GrainRefs grains, AdminCalls calls) =>
                BatchAsync(string.IsNullOrEmpty(users) ? [] : users.Split(','), grains, calls))
            .WithTags("presence").WithName("getPresence")
            .WithSummary($"Presence of up to {IPresenceDirectory.MaxUsers} users, users=a,b,c, in the order given; for a list longer than a request line holds, POST it")
            .Produces<UserPresenceView[]>();
        api.MapPost("/presence", (UserList body, GrainRefs grains, AdminCalls calls) => BatchAsync(body.Users ?? [], grains, calls))
            .WithTags("presence").WithName("queryPresence")
            .WithSummary($"Presence of up to {IPresenceDirectory.MaxUsers} users named in the body, in the order given")
            .Produces<UserPresenceView[]>();
        api.MapGet("/groups/{id}/online", (string id, string? after, int? limit, [FromQuery(Name = "as")] string? actingAs,
                GrainRefs grains, AdminCalls calls) =>
            {
                var group = grains.Get<IGroupGrain>(ApiInput.Id(id, "id"));
                var (from, page, actor) = (ApiInput.OptionalId(after, "after"), limit ?? 100, GroupsApi.ActingAs(actingAs));
                ApiInput.Require(page is >= 1 and <= 1000, "limit", "limit must be 1-1000");
                return calls.RunAsync(() => group.GetOnlineMembers(actor, from, page), CallPolicy.Retried,
                    online => Results.Ok(new OnlinePage(online.Count, online.Members, online.Next)));
            })
            .WithTags("presence").WithName("getOnlineMembers")
            .WithSummary("How many of the group's members are connected now, and a page of them by user id (as the system, or ?as= a member)")
            .Produces<OnlinePage>();
    }

    private static Task<IResult> BatchAsync(string[] users, GrainRefs grains, AdminCalls calls)
    {
        // Counted before the ids are checked: a list that is too long is one mistake, not a thousand.
        ApiInput.Require(users.Length is > 0 and <= IPresenceDirectory.MaxUsers, "users",
            $"users must name 1-{IPresenceDirectory.MaxUsers} user ids");
        ApiInput.UserIds(users, "users", required: true);
        var directory = grains.Get<IPresenceDirectory>(IPresenceDirectory.Key);
        return calls.RunAsync(() => directory.GetPresence(users), CallPolicy.Retried,
            presence => Results.Ok(presence.Select(View)));
    }

    private static UserPresenceView View(UserPresence p) =>
        new(p.User, p.Online, p.LastSeen, p.Devices.Select(d => new DeviceView(d.Device, d.Platform, d.ConnectedSince)).ToArray());
}
