using ImActors.Edge.Connections;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Which handler a client frame goes to, one per family: the hello and the session's end
/// (<see cref="SessionHandler"/>), sends (<see cref="SendHandler"/>), syncs (<see cref="SyncHandler"/>), requests
/// (<see cref="RequestHandler"/>), typing notices, delivery reports and pings (<see cref="SignalHandler"/>), and the
/// session's tokens (<see cref="ReauthHandler"/>, <see cref="RefreshHandler"/>).
/// Each handler checks its frame, makes its grain calls through <c>ClusterCalls</c> and replies on the connection.
/// The path a message takes through these files is listed on <see cref="ConnectionLoop"/>.
/// </summary>
public sealed class FrameDispatcher(
    SessionHandler sessions, SendHandler sends, SyncHandler syncs, RequestHandler requests, SignalHandler signals, ReauthHandler reauths,
    RefreshHandler refreshes)
{
    private const string HelloFirst = "the first frame must be a hello";

    /// <summary>Handles one frame; the connection's loop waits for it before reading the next.</summary>
    public Task DispatchAsync(ClientConnection connection, Frame frame)
    {
        // A refresh may come first: a device whose access token expired gets a fresh one to say hello with.
        if (!connection.IsAuthenticated && frame.Kind is not (FrameKind.Hello or FrameKind.Refresh))
        {
            connection.Refuse(ErrorCodes.NotAuthenticated, HelloFirst);
            return Task.CompletedTask;
        }

        switch (frame.Body)
        {
            case HelloFrame hello:
                return sessions.HelloAsync(connection, hello);
            case SendFrame send:
                return sends.SendAsync(connection, send);
            case SyncFrame sync:
                return syncs.SyncAsync(connection, sync);
            case RequestFrame request:
                return requests.HandleAsync(connection, request);
            case TypingFrame typing:
                signals.Typing(connection, typing);
                break;
            case DeliveredFrame:
                SignalHandler.Delivered();
                break;
            case ReauthFrame reauth:
                return reauths.ReauthAsync(connection, reauth);
            case RefreshFrame refresh:
                return refreshes.RefreshAsync(connection, refresh);
            case PingFrame ping:
                SignalHandler.Ping(connection, ping);
                break;
            default:
                connection.ReplyError(ErrorCodes.UnknownKind, $"frame kind {(int)frame.Kind} ({frame.Kind}) is not accepted from clients");
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A frame kind this edge does not know. After hello a newer client may speak kinds this edge lacks: say so
    /// and carry on. Before hello it is refused like any other non-hello frame, so that unknown kinds cannot
    /// keep an anonymous connection alive.
    /// </summary>
    public void OnUnknownKind(ClientConnection connection, string reason)
    {
        if (!connection.IsAuthenticated)
        {
            connection.Refuse(ErrorCodes.NotAuthenticated, HelloFirst);
            return;
        }

        connection.ReplyError(ErrorCodes.UnknownKind, reason);
    }

    /// <summary>The connection is closed and its queue drained: its session, if it had one, ends.</summary>
    public Task OnClosedAsync(ClientConnection connection) => sessions.EndAsync(connection);
}
