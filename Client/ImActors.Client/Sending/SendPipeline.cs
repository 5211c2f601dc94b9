using ImActors.Protocol.Compression;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using ImActors.Protocol.Retry;

namespace ImActors.Client.Sending;

/// <summary>
/// Sends messages until the server ACKs them. Every attempt carries the same client message id, so a retry never
/// stores a second message: after an ACK timeout, after a "try again" error, and on every new connection, until
/// the send's deadline.
/// </summary>
/// <param name="trySend">Sends on the current connection if there is one (a frame that finds none is lost).</param>
/// <param name="compresses">Whether the current connection takes compressed bodies.</param>
internal sealed class SendPipeline(ImClientOptions options, Func<byte[], CancellationToken, Task> trySend, Func<bool> compresses, CancellationToken stop)
{
    // The server said "try again" (a store outage, a silo restarting): back off a little so it is not hammered.
    private static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), jitter: false);

    private readonly PendingSends _pending = new();

    /// <summary>Sends still waiting for their ACK: a new connection sends them again.</summary>
    public IEnumerable<PendingSend> Unacknowledged => _pending.All;

    public async Task<SendReceipt> SendAsync(SendFrame message, string? clientMessageId, CancellationToken cancellationToken)
    {
        var cmid = clientMessageId ?? Guid.NewGuid().ToString("N");
        message.ClientMessageId = cmid;
        var frame = FrameEncoder.Encode(FrameKind.Send, message);
        var send = new PendingSend(cmid, frame, message.Group, CompressedFrame(message));
        _pending.Add(send);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop);
        deadline.CancelAfter(options.SendDeadline);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                // While disconnected nothing below observes the deadline (the delay just completes as cancelled): without this the loop spins.
                deadline.Token.ThrowIfCancellationRequested();
                send.ResetNudge();
                await trySend(send.FrameFor(compresses()), deadline.Token);
                var signal = await Task.WhenAny(send.Done.Task, send.Nudged, Task.Delay(options.AckTimeout, deadline.Token));
                if (signal == send.Done.Task)
                {
                    return await send.Done.Task;
                }

                if (signal == send.Nudged)
                {
                    // A rate limit says how long to wait; sending sooner would only be refused again (and closes the connection in the end).
                    var delay = RetryBackoff.DelayFor(attempt);
                    await Task.Delay(send.RetryAfter > delay ? send.RetryAfter : delay, deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImClientException(0, $"no ACK for {cmid} within {options.SendDeadline.TotalSeconds:0.#} s" +
                                           (send.LastError is null ? "" : $"; last error: {send.LastError}"));
        }
        finally
        {
            _pending.Remove(send);
        }
    }

    /// <summary>The frame with the body compressed, or null when the body is not over the threshold or compresses by less than 20%.</summary>
    private byte[]? CompressedFrame(SendFrame message)
    {
        if (!options.Compression || BodyCompression.TryCompress(message.Body, options.CompressionThreshold) is not { } compressed)
        {
            return null;
        }

        var plain = message.Body;
        message.Body = compressed;
        message.Compression = BodyCompression.Deflate;
        var frame = FrameEncoder.Encode(FrameKind.Send, message);
        (message.Body, message.Compression) = (plain, null);
        return frame;
    }

    /// <summary>The send <paramref name="ack"/> answers, while it still waits.</summary>
    public PendingSend? Find(AckFrame ack) => _pending.Find(ack.ClientMessageId);

    /// <summary>
    /// An error carrying a send's client message id: the send is tried again (after a short backoff) when the server
    /// says a retry may succeed, and fails otherwise. False when no send waits with that id.
    /// </summary>
    public bool Refuse(ErrorFrame error)
    {
        if (_pending.Find(error.ClientMessageId) is not { } send)
        {
            return false;
        }

        if (error.Retryable)
        {
            send.Retryable($"{error.Name}: {error.Reason}", TimeSpan.FromMilliseconds(error.RetryAfterMs));
        }
        else
        {
            send.Done.TrySetException(new ImClientException(error.Code, error.Reason));
        }

        return true;
    }

    /// <summary>The client stopped for good: every send still waiting fails with <paramref name="reason"/>.</summary>
    public void FailAll(Exception reason)
    {
        foreach (var send in _pending.All)
        {
            send.Done.TrySetException(reason);
        }
    }
}
