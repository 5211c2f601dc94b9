using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Connections;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Frames that store nothing: typing notices (passed on, rate-limited), delivery reports and pings (signs of
/// life; the connection's loop already counted them for the heartbeat). None waits for the cluster.
/// </summary>
public sealed class SignalHandler(GrainRefs grains, ClusterCalls cluster)
{
    public void Typing(ClientConnection connection, TypingFrame typing)
    {
        if (!ConversationRef.TryOf(typing.Peer, typing.Group, out var conversation))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "name exactly one of peer and group");
        }
        else if (conversation.IsSystem)
        {
            // Nobody reads typing notices on the system's side; answered, so that a client learns it is not a peer.
            connection.ReplyError(ErrorCodes.Forbidden, "the system conversation takes no typing notices");
        }
        else if (!connection.TypingGate.TryPass())
        {
            // One notice refills per second, so a second is always enough.
            connection.ReplyRateLimited("typing notices are limited to a burst of 5 and 1 per second", TimeSpan.FromSeconds(1), null, null);
        }
        else if (typing.Group is { } group)
        {
            // One-way and never stored: a notice lost to a failover is not worth a retry.
            cluster.FireAndForget(() => grains.Get<IGroupGrain>(group).Typing(connection.UserId!));
        }
        else
        {
            cluster.FireAndForget(() => grains.Get<IUserGrain>(typing.Peer!).Typing(connection.UserId!));
        }
    }

    // Version 1 keeps nothing of a delivery report: it is a sign of life like a ping (the frame reader already
    // counted it), and read receipts come from the read request. Reporting it to the user's grain cost a grain call
    // per report for a value nothing read.
    public static void Delivered()
    {
    }

    public static void Ping(ClientConnection connection, PingFrame ping) => connection.Reply(FrameKind.Pong, new PongFrame { T = ping.T });
}
