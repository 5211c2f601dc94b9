using ImActors.Edge.Connections;
using ImActors.Edge.Metrics;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Limits;

/// <summary>
/// Decides whether a welcomed connection's frame is handled or refused with 429: sends against the connection's and the
/// user's message buckets, requests and syncs against the request bucket, every frame's bytes against the byte buckets.
/// A refusal carries the frame's cmid or rid and how long to wait, so a client retries that frame then; a client that
/// keeps sending through <see cref="RateLimitSettings.RefusalsBeforeClose"/> refusals is closed with 429. Checked before
/// the frame costs anything: no grain is called for a refused frame (decision 100).
/// </summary>
public sealed class FrameBudget(LimitRates rates, UserBudgets users, AbuseCooldowns cooldowns, EdgeClock time, EdgeMetrics metrics)
{
    /// <summary>True when the frame may be handled; otherwise the refusal has been sent (and the connection maybe closed).</summary>
    public bool Admit(ClientConnection connection, Frame frame, long payloadBytes)
    {
        if (!connection.IsAuthenticated)
        {
            // Before the welcome only a hello is handled, and the hello deadline bounds how long that may take.
            return true;
        }

        var budget = connection.Budget ??= new ConnectionBudget(rates, time, connection.UserId!, users.Acquire(connection.UserId!));
        var isMessage = frame.Kind == FrameKind.Send;
        var isRequest = frame.Kind is FrameKind.Request or FrameKind.Sync;
        if (TryTake(budget, isMessage, isRequest, payloadBytes, out var retryAfter))
        {
            budget.RefusalsInARow = 0;
            return true;
        }

        var limit = isMessage ? "message" : isRequest ? "request" : "byte";
        metrics.RateLimited(limit);
        if (++budget.RefusalsInARow >= rates.RefusalsBeforeClose)
        {
            connection.Close(ErrorCodes.RateLimited, $"{budget.RefusalsInARow} frames in a row over the rate limit; slow down before reconnecting");
            cooldowns.Start(connection.UserId!);
            return false;
        }

        var (cmid, rid) = frame.Body switch
        {
            SendFrame send => (send.ClientMessageId, null),
            RequestFrame request => (null, request.RequestId),
            SyncFrame sync => (null, sync.RequestId),
            _ => ((string?)null, (string?)null),
        };
        connection.ReplyRateLimited(
            $"over the {limit} rate limit; retry after retryAfterMs", retryAfter, cmid, rid);
        return false;
    }

    /// <summary>The connection is closed: its share of the user's budget is given up.</summary>
    public void Release(ClientConnection connection)
    {
        if (connection.Budget is { } budget)
        {
            users.Release(budget.User, budget.UserBudget);
        }
    }

    private bool TryTake(ConnectionBudget budget, bool isMessage, bool isRequest, long bytes, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (isMessage && !budget.Messages.TryTake(rates.Messages, 1, time, out retryAfter))
        {
            return false;
        }

        if (isRequest && !budget.Requests.TryTake(rates.Requests, 1, time, out retryAfter))
        {
            return false;
        }

        if (!budget.Bytes.TryTake(rates.Bytes, bytes, time, out retryAfter))
        {
            Undo(budget, isMessage, isRequest);
            return false;
        }

        if (!budget.UserBudget.TryTake(isMessage, bytes, out retryAfter))
        {
            Undo(budget, isMessage, isRequest);
            budget.Bytes.Return(rates.Bytes, bytes);
            return false;
        }

        return true;
    }

    private void Undo(ConnectionBudget budget, bool isMessage, bool isRequest)
    {
        if (isMessage)
        {
            budget.Messages.Return(rates.Messages, 1);
        }

        if (isRequest)
        {
            budget.Requests.Return(rates.Requests, 1);
        }
    }
}
