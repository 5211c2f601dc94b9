using ImActors.Client.Connections;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client;

// What the server's frames do. Each frame type goes to the part of the client it belongs to, and that part decides
// by the frame's own fields (its rid, its cmid, its group), so no case depends on another one being tried first.
public sealed partial class ImClient : IConnectionHandler
{
    long IConnectionHandler.DeliveredUpTo => LastSeq;

    void IConnectionHandler.OnWelcome(WelcomeFrame welcome)
    {
        UserId = welcome.User;
        _sync.OnWelcome(welcome);
        // Syncs and the conversation list asked on the old connection will not be answered; the catch-up asks again.
        _requests.ForgetConnectionRequests();
    }

    async Task IConnectionHandler.OnConnectedAsync(Connection connection)
    {
        await _sync.CatchUpAsync(connection);
        await RestoreWatchesAsync(connection);
        foreach (var send in _sends.Unacknowledged)
        {
            await connection.SendAsync(send.FrameFor(_connection.Compresses));
        }

        foreach (var request in _requests.Pending)
        {
            await connection.SendAsync(request.Frame);
        }
    }

    async ValueTask IConnectionHandler.OnFrameAsync(Connection connection, Frame frame)
    {
        try
        {
            switch (frame.Body)
            {
                case MessageFrame message:
                    await _sync.OnMessageAsync(connection, message);
                    break;
                case SyncPageFrame page:
                    await _requests.ReplyAsync(page.RequestId, page);
                    break;
                case ResultFrame result:
                    await _requests.ReplyAsync(result.RequestId, result);
                    break;
                case AckFrame ack:
                    await OnAckAsync(connection, ack);
                    break;
                case ErrorFrame error:
                    await OnErrorAsync(error);
                    break;
                case TypingFrame typing:
                    TypingReceived?.Invoke(new TypingNotice(typing.From ?? "", typing.Group));
                    break;
                case ReadStateFrame read:
                    ReadStateChanged?.Invoke(new ReadStateUpdate(read.Peer, read.Group, read.ReadSeq, read.Unread));
                    break;
                case ReceiptFrame receipt:
                    ReceiptReceived?.Invoke(new ReadReceipt(receipt.Peer, receipt.Seq));
                    break;
                case PresenceFrame presence:
                    OnPresence(presence);
                    break;
                case ClosingFrame closing:
                    throw Closed(closing);
            }
        }
        finally
        {
            // The cursors have moved past these entries even when handling broke off midway (a sync request on a
            // connection that just broke): they would never be offered again, so they go to the application now.
            _sync.HandOver();
        }
    }

    void IConnectionHandler.OnConnectionChanged(ConnectionEvent change)
    {
        if (!change.Connected)
        {
            _lastFailure = change;
        }

        ConnectionChanged?.Invoke(change);
    }

    void IConnectionHandler.OnRefused(ImClientException reason) => Stop(reason);

    private async ValueTask OnAckAsync(Connection connection, AckFrame ack)
    {
        if (_sends.Find(ack) is not { } send)
        {
            // A retry's duplicate arriving after the first ACK completed the send, or an ACK after the send gave up.
            // Which log its seq belongs to is no longer known (a group send's seq is not an inbox seq); the first ACK
            // counted it, and anything uncounted comes back by syncing.
            return;
        }

        try
        {
            // The cursor counts the seq as held before the sender hears of it, so LastSeq covers a send once it returns.
            await _sync.OnOwnSendAsync(connection, send.Group, ack.Seq);
        }
        finally
        {
            send.Acknowledge(ack);
        }
    }

    /// <summary>An error answers a request (it carries the rid), a send (the cmid), or neither: then it is about the connection.</summary>
    private async ValueTask OnErrorAsync(ErrorFrame error)
    {
        var answered = error.RequestId is not null
            ? await _requests.FailAsync(error)
            : error.ClientMessageId is not null && _sends.Refuse(error);
        if (!answered && error.Code is ErrorCodes.TokenExpired or ErrorCodes.TokenInvalid)
        {
            throw new ImClientException(error.Code, error.Reason);
        }
    }

    // Replaced by a newer connection of this device, kicked or banned: reconnecting would only fight it. Anything else
    // (a heartbeat timeout, an overflow, a shutdown) is worth a reconnect.
    private static Exception Closed(ClosingFrame closing) =>
        closing.Code is ErrorCodes.Replaced or ErrorCodes.Kicked or ErrorCodes.Banned
            ? new ImClientException(closing.Code, closing.Reason)
            : new IOException($"closed by the server: {ErrorCodes.NameOf(closing.Code)}: {closing.Reason}");
}
