using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>/api/v1/users/{user}/blocks</c>: the user's block list (decision 112), for a service that handles abuse reports or
/// moderation on the user's behalf. The same grain calls as the clients' block requests, under the same rules.
/// </summary>
public static class BlocksApi
{
    /// <param name="Blocked">The blocked user ids in ordinal order; <paramref name="Max"/> is how many the list may hold.</param>
    public sealed record BlockList(IReadOnlyList<string> Blocked, int Max);

    /// <param name="Changed">False when the call found the list already so (blocked twice, or unblocking someone not blocked).</param>
    public sealed record BlockChange(string User, bool Blocked, bool Changed);

    public static void MapBlocks(this RouteGroupBuilder api)
    {
        var blocks = api.MapGroup("/users/{user}/blocks").WithTags("users");
        blocks.MapGet("", (string user, GrainRefs grains, AdminCalls calls) =>
            {
                var grain = User(grains, user);
                return calls.RunAsync(() => grain.GetBlocked(), CallPolicy.Retried, list => Results.Ok(new BlockList(list, IUserGrain.MaxBlocked)));
            })
            .WithName("getBlocks").WithSummary("The users this user has blocked").Produces<BlockList>();
        blocks.MapPut("/{other}", (string user, string other, GrainRefs grains, AdminCalls calls) =>
            {
                var (grain, blocked) = (User(grains, user), ApiInput.Id(other, "other"));
                return calls.RunAsync(() => grain.Block(blocked), CallPolicy.Retried, changed => Results.Ok(new BlockChange(blocked, true, changed)));
            })
            .WithName("block").WithSummary("Block a user: their 1:1 sends to this user are refused with 450 (blocked)").Produces<BlockChange>();
        blocks.MapDelete("/{other}", (string user, string other, GrainRefs grains, AdminCalls calls) =>
            {
                var (grain, blocked) = (User(grains, user), ApiInput.Id(other, "other"));
                return calls.RunAsync(() => grain.Unblock(blocked), CallPolicy.Retried, changed => Results.Ok(new BlockChange(blocked, false, changed)));
            })
            .WithName("unblock").WithSummary("Unblock a user").Produces<BlockChange>();
    }

    private static IUserGrain User(GrainRefs grains, string user) => grains.Get<IUserGrain>(ApiInput.Id(user, "user"));
}
