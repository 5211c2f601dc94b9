using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>
/// The user is named in the query string. The peer has no authentication: the benchmark compares message
/// handling, and ImActors' token check happens once per connection, not per message.
/// </summary>
public sealed class QueryUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.GetHttpContext()?.Request.Query["user"].ToString() is { Length: > 0 } user ? user : null;
}
