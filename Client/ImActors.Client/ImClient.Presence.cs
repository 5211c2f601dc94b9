using ImActors.Client.Connections;
using ImActors.Client.Presence;
using ImActors.Client.Requests;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Client;

// Presence: watches (kept across reconnects), one-off queries, and a group's online members.
public sealed partial class ImClient
{
    private readonly WatchList _watches = new();

    /// <summary>
    /// A watched user's presence changed; also raised for each watched user after a reconnect, since changes made while
    /// disconnected were not pushed. Raised on the receive loop: do not block.
    /// </summary>
    public event Action<PresenceInfo>? PresenceChanged;

    /// <summary>
    /// Watches up to 1000 users (the server allows 500 per connection by default: past it, 449) and returns each one's
    /// presence now; from then on every change raises <see cref="PresenceChanged"/>, on this connection and every later one.
    /// </summary>
    public async Task<IReadOnlyList<PresenceInfo>> WatchAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(new RequestFrame { Op = RequestOps.PresenceWatch, Members = [.. users] }, cancellationToken);
        _watches.Add(users);
        return ToPresence(result);
    }

    /// <summary>Stops watching the users; returns how many were watched on this connection.</summary>
    public async Task<int> UnwatchAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken = default)
    {
        _watches.Remove(users);
        return (await RequestAsync(new RequestFrame { Op = RequestOps.PresenceUnwatch, Members = [.. users] }, cancellationToken)).Changed;
    }

    /// <summary>The presence of up to 1000 users now, in the order given, without watching them.</summary>
    public async Task<IReadOnlyList<PresenceInfo>> GetPresenceAsync(IReadOnlyCollection<string> users, CancellationToken cancellationToken = default) =>
        ToPresence(await RequestAsync(new RequestFrame { Op = RequestOps.PresenceQuery, Members = [.. users] }, cancellationToken));

    /// <summary>How many members of the group are online, and a page of them (members only).</summary>
    public async Task<OnlineMembersInfo> GetOnlineMembersAsync(
        string groupId, string? after = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(
            new RequestFrame { Op = RequestOps.PresenceGroup, Group = groupId, After = after, Limit = limit }, cancellationToken);
        return new OnlineMembersInfo(result.Total, result.Users ?? [], result.Next);
    }

    /// <summary>A new connection watches again what the application watches; each answer tells the application the state now.</summary>
    private async Task RestoreWatchesAsync(Connection connection)
    {
        foreach (var batch in _watches.Batches())
        {
            var watch = new ConnectionRequest<ResultFrame>(_requests.NextId(), result =>
            {
                foreach (var presence in ToPresence(result))
                {
                    PresenceChanged?.Invoke(presence);
                }

                return ValueTask.CompletedTask;
            }, _ => ValueTask.CompletedTask);
            _requests.Await(watch);
            await connection.SendAsync(FrameKind.Request, new RequestFrame { RequestId = watch.RequestId, Op = RequestOps.PresenceWatch, Members = batch });
        }
    }

    private void OnPresence(PresenceFrame presence) => PresenceChanged?.Invoke(ToPresence(presence));

    private static List<PresenceInfo> ToPresence(ResultFrame result) => (result.Presence ?? []).Select(ToPresence).ToList();

    private static PresenceInfo ToPresence(PresenceFrame p) => new(
        p.User,
        p.Online,
        p.LastSeen == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(p.LastSeen),
        p.Devices.Select(d => new DeviceInfo(d.Device, d.Platform, DateTimeOffset.FromUnixTimeMilliseconds(d.Since))).ToList());
}
