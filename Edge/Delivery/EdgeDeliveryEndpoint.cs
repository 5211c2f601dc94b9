using ImActors.Edge.Compression;
using ImActors.Edge.Presence;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Edge.Delivery;

/// <summary>
/// The grain observer through which the cluster pushes to this edge. It only hands work on: encode the
/// frame once, queue the same bytes on each target connection. It never waits on a socket.
/// A connection that closed since the grain looked is simply skipped: the device syncs on reconnect.
/// </summary>
public sealed class EdgeDeliveryEndpoint(
    LocalConnections connections, LocalGroups groups, LocalWatches watches, DeliveryStats stats, WireBodies bodies) : IEdgeDelivery
{
    public Task Deliver(StoredMessage message, long[] connectionIds)
    {
        stats.DirectPush();
        stats.Queued(SendTo(connectionIds, PushFrame.Of(message, bodies)));
        return Task.CompletedTask;
    }

    public Task DeliverToGroup(StoredMessage message, long exceptConnection, string[] removed, bool dissolved)
    {
        stats.GroupPush();
        var group = message.Group!;
        if (groups.MembersOf(group) is not { } members)
        {
            groups.NotHere(group);
            return Task.CompletedTask;
        }

        stats.Queued(SendToUsers(members, PushFrame.Of(message, bodies), exceptConnection));
        if (dissolved)
        {
            groups.Dissolved(group);
        }
        else if (removed.Length > 0)
        {
            groups.Remove(group, removed);
        }

        return Task.CompletedTask;
    }

    public Task<long> AddGroupMembers(string group, string[] users) => Task.FromResult(groups.AddMembers(group, users));

    public Task Notify(Notice notice, long[] connectionIds)
    {
        stats.Notice();
        SendTo(connectionIds, MessageFrames.Encode(notice));
        return Task.CompletedTask;
    }

    public Task NotifyGroup(Notice notice, string exceptUser)
    {
        stats.Notice();
        if (groups.MembersOf(notice.Group!) is { } members)
        {
            SendToUsers(members.Where(m => m != exceptUser), MessageFrames.Encode(notice), exceptConnection: 0);
        }

        return Task.CompletedTask;
    }

    public Task DeliverPresence(UserPresence presence)
    {
        stats.PresencePush();
        if (watches.Pushed(presence) is { } watchers)
        {
            stats.Queued(SendTo(watchers, FrameEncoder.Encode(FrameKind.Presence, PresenceFrames.From(presence))));
        }

        return Task.CompletedTask;
    }

    public Task<string[]> OnlineGroupMembers(string group) => Task.FromResult(groups.MembersOf(group) ?? []);

    public Task Close(long connectionId, int code, string reason)
    {
        connections.Find(connectionId)?.Close(code, reason);
        return Task.CompletedTask;
    }

    private int SendTo(long[] connectionIds, PushFrame frame)
    {
        var sent = 0;
        foreach (var id in connectionIds)
        {
            if (connections.Find(id) is { } connection)
            {
                connection.Send(frame.For(connection));
                sent++;
            }
        }

        return sent;
    }

    private int SendToUsers(IEnumerable<string> users, PushFrame frame, long exceptConnection)
    {
        var sent = 0;
        foreach (var user in users)
        {
            foreach (var connection in connections.OfUser(user))
            {
                if (connection.Id != exceptConnection)
                {
                    connection.Send(frame.For(connection));
                    sent++;
                }
            }
        }

        return sent;
    }
}
