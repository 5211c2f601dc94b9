using System.Text.Json;
using ImActors.Grains.Events;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Presence;
using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Grains.Users;

/// <summary>A user's connected devices in the store (<see cref="SessionScripts"/>); the user grain keeps them in memory too.</summary>
public sealed class SessionStore(StoreConnection redis, EventOutbox events)
{
    public async Task<Dictionary<string, SessionInfo>> LoadAsync(string user)
    {
        var fields = await redis.Run(db => db.HashGetAllAsync(InboxKeys.Sessions(user)));
        return fields.ToDictionary(f => (string)f.Name!, f => Decode(f.Value!));
    }

    /// <summary>Registers a session; returns the user's inbox seq and groups, read in the same step. Refused for a banned user and a revoked token.</summary>
    public async Task<(long InboxSeq, string[] Groups)> ConnectAsync(string user, SessionInfo session)
    {
        var online = events.Closed(() => new ImEvent(EventOutbox.NewId(), EventTypes.UserOnline, session.ConnectedAt.ToUnixTimeMilliseconds(), User: user));
        var result = (RedisResult[])(await redis.Eval(SessionScripts.Connect,
            [
                InboxKeys.Sessions(user), InboxKeys.Groups(user), InboxKeys.Seq(user), InboxKeys.Ban(user), InboxKeys.ValidAfter(user),
                PresenceKeys.ReportedOnline(user), events.ListOf(user),
            ],
            [session.Device, Encode(session), session.TokenIssuedAtMs, online]))!;
        switch ((long)result[0])
        {
            case -1:
                throw BanStore.Refusal(BanStore.Decode((string)result[1]!));
            case -2:
                throw TokenStore.Revoked((long)result[1]);
        }

        return ((long)result[0], result.Skip(1).Select(g => (string)g!).ToArray());
    }

    public Task RemoveAsync(string user, IReadOnlyCollection<SessionInfo> sessions)
    {
        if (sessions.Count == 0)
        {
            return Task.CompletedTask;
        }

        return redis.Eval(SessionScripts.Remove, [InboxKeys.Sessions(user)], Pairs(sessions).ToArray());
    }

    /// <summary>Removes sessions a service kicked, and writes the <c>user.kicked</c> event in the same step.</summary>
    public Task KickAsync(string user, IReadOnlyCollection<SessionInfo> sessions, string reason, DateTimeOffset at)
    {
        if (sessions.Count == 0)
        {
            return Task.CompletedTask;
        }

        var kicked = events.Closed(() => new ImEvent(EventOutbox.NewId(), EventTypes.UserKicked, at.ToUnixTimeMilliseconds(), User: user,
            Reason: reason, Devices: sessions.Select(s => s.Device).ToArray()));
        return redis.Eval(SessionScripts.Kick, [InboxKeys.Sessions(user), events.ListOf(user)], [kicked, .. Pairs(sessions)]);
    }

    private static IEnumerable<RedisValue> Pairs(IEnumerable<SessionInfo> sessions) =>
        sessions.SelectMany(s => new RedisValue[] { s.Device, Encode(s) });

    /// <summary>The edges in stored sessions (what a group adding the user reads), each once.</summary>
    public static string[] Edges(IEnumerable<string> storedSessions) =>
        storedSessions.Select(s => Decode(s).EdgeId).Distinct(StringComparer.Ordinal).ToArray();

    private static string Encode(SessionInfo session) => JsonSerializer.Serialize(session);

    internal static SessionInfo Decode(string stored) => JsonSerializer.Deserialize<SessionInfo>(stored)!;
}
