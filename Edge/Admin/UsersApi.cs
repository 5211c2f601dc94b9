using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>/api/v1/users/{user}</c>: the devices online now, kicking them, and banning the user. Presence (who is online,
/// online counts) is mapped beside these by <see cref="PresenceApi"/>.
/// </summary>
public static class UsersApi
{
    /// <param name="Device">One device; null for every device of the user.</param>
    /// <param name="Reason">Shown to the devices in the closing frame; a default when null.</param>
    public sealed record Kick(string? Device, string? Reason);

    public sealed record BanRequest(string? Reason);

    /// <param name="Banned">Whether the user is banned now; <paramref name="Reason"/> and <paramref name="Since"/> say why and since when.</param>
    public sealed record BanStatus(bool Banned, string? Reason, DateTimeOffset? Since);

    public sealed record Unbanned(bool Lifted);

    public sealed record Session(string Device, string Platform, string Edge, DateTimeOffset ConnectedAt);

    public static void MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users/{user}").WithTags("users");
        users.MapGet("/sessions", (string user, GrainRefs grains, AdminCalls calls) =>
            {
                var grain = User(grains, user);
                return calls.RunAsync(() => grain.GetSessions(), CallPolicy.Retried,
                    sessions => Results.Ok(sessions.Select(s => new Session(s.Device, s.Platform, s.EdgeId, s.ConnectedAt))));
            })
            .WithName("getSessions").WithSummary("The user's devices online now").Produces<Session[]>();
        users.MapPost("/kick", (string user, Kick body, GrainRefs grains, AdminCalls calls) =>
            {
                var (grain, device) = (User(grains, user), ApiInput.OptionalId(body.Device, "device"));
                var reason = body.Reason is null ? "signed out by the service" : ApiInput.Text(body.Reason, "reason", BanInfo.MaxReasonLength);
                return calls.RunAsync(() => grain.Kick(device, reason), CallPolicy.Retried);
            })
            .WithName("kick").WithSummary("Close one device's connection, or all of the user's, with closing code 410 (the devices may sign in again)")
            .Produces(StatusCodes.Status204NoContent);
        users.MapGet("/ban", (string user, GrainRefs grains, AdminCalls calls) =>
            {
                var grain = User(grains, user);
                return calls.RunAsync(() => grain.GetBan(), CallPolicy.Retried, ban => Results.Ok(Status(ban)));
            })
            .WithName("getBan").WithSummary("Whether the user is banned, why and since when").Produces<BanStatus>();
        users.MapPut("/ban", (string user, BanRequest body, GrainRefs grains, AdminCalls calls) =>
            {
                var (grain, reason) = (User(grains, user), ApiInput.Text(body.Reason, "reason", BanInfo.MaxReasonLength));
                return calls.RunAsync(() => grain.Ban(reason), CallPolicy.Retried, ban => Results.Ok(Status(ban)));
            })
            .WithName("ban").WithSummary("Ban the user: every live session is closed with 448 and every hello refused until unbanned")
            .Produces<BanStatus>();
        users.MapDelete("/ban", (string user, GrainRefs grains, AdminCalls calls) =>
            {
                var grain = User(grains, user);
                return calls.RunAsync(() => grain.Unban(), CallPolicy.Retried, lifted => Results.Ok(new Unbanned(lifted)));
            })
            .WithName("unban").WithSummary("Lift the ban (lifted: false when there was none)").Produces<Unbanned>();
    }

    private static IUserGrain User(GrainRefs grains, string user) => grains.Get<IUserGrain>(ApiInput.Id(user, "user"));

    private static BanStatus Status(BanInfo? ban) => new(ban is not null, ban?.Reason, ban?.Since);
}
