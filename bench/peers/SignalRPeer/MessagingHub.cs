using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>
/// 1:1 sends by the two idioms SignalR offers (the user index, or a group per user) and group sends.
/// Pushes use the method name "m" and carry the body untouched, so the generator's latency stamp survives.
/// </summary>
public sealed class MessagingHub : Hub
{
    public const string PushMethod = "m";

    public override async Task OnConnectedAsync()
    {
        // A per-user group: a hash lookup per send instead of scanning every connection for a user id.
        if (Context.UserIdentifier is { } user)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(user));
        }
    }

    public Task ToUser(string to, byte[] body) => Clients.User(to).SendAsync(PushMethod, body);

    public Task ToUserGroup(string to, byte[] body) => Clients.Group(UserGroup(to)).SendAsync(PushMethod, body);

    /// <summary>Group members other than the sender receive it, as with ImActors' group fan-out.</summary>
    public Task ToGroup(string group, byte[] body) => Clients.OthersInGroup(GroupName(group)).SendAsync(PushMethod, body);

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, GroupName(group));

    private static string UserGroup(string user) => "u:" + user;

    private static string GroupName(string group) => "g:" + group;
}
