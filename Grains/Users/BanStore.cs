using System.Text.Json;
using ImActors.Grains.Events;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Store;

namespace ImActors.Grains.Users;

/// <summary>
/// A user's ban in the store (<c>im:{user}:ban</c>), beside the user's sessions so that banning and signing in are
/// steps of the same keys (decision 98). The login step refuses a banned user itself (<see cref="SessionScripts.Connect"/>).
/// </summary>
public sealed class BanStore(StoreConnection redis, EventOutbox events)
{
    /// <summary>Stores the ban and its <c>user.banned</c> event; returns the sessions stored at that moment, for the grain to close.</summary>
    public async Task<IReadOnlyList<SessionInfo>> BanAsync(string user, BanInfo ban)
    {
        var banned = events.Closed(() => new ImEvent(EventOutbox.NewId(), EventTypes.UserBanned, ban.Since.ToUnixTimeMilliseconds(), User: user,
            Reason: ban.Reason));
        var stored = (string[])(await redis.Eval(SessionScripts.Ban, [InboxKeys.Ban(user), InboxKeys.Sessions(user), events.ListOf(user)],
            [Encode(ban), banned]))!;
        return stored.Select(SessionStore.Decode).ToList();
    }

    /// <summary>Lifts the ban; false when there was none.</summary>
    public Task<bool> UnbanAsync(string user) => redis.Run(db => db.KeyDeleteAsync(InboxKeys.Ban(user)));

    public async Task<BanInfo?> GetAsync(string user)
    {
        var stored = await redis.Run(db => db.StringGetAsync(InboxKeys.Ban(user)));
        return stored.IsNull ? null : Decode(stored!);
    }

    /// <summary>What a banned user's hello is refused with.</summary>
    public static RefusedException Refusal(BanInfo ban) =>
        new(Interfaces.Messages.Refusal.Banned, $"this user is banned: {ban.Reason}");

    internal static BanInfo Decode(string stored) => JsonSerializer.Deserialize<BanInfo>(stored)!;

    private static string Encode(BanInfo ban) => JsonSerializer.Serialize(ban);
}
