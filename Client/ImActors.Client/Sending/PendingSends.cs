using System.Collections.Concurrent;
using ImActors.Protocol.Frames;

namespace ImActors.Client.Sending;

/// <summary>
/// A send waiting for its ACK: the encoded frame is kept so every retry is byte-for-byte the same (on a connection that
/// agreed on compression, the compressed frame when the body compresses).
/// </summary>
/// <param name="group">The group sent to; null for a 1:1 send (its ACK's seq is then of the inbox).</param>
internal sealed class PendingSend(string clientMessageId, byte[] frame, string? group = null, byte[]? compressedFrame = null)
{
    public string? Group { get; } = group;

    private TaskCompletionSource _nudge = NewSignal();

    public string ClientMessageId { get; } = clientMessageId;

    public byte[] Frame { get; } = frame;

    /// <summary>The frame to send on a connection that does (or does not) take compressed bodies.</summary>
    public byte[] FrameFor(bool compresses) => compresses && compressedFrame is not null ? compressedFrame : Frame;

    public TaskCompletionSource<SendReceipt> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last retryable error the server gave for this send.</summary>
    public string? LastError { get; private set; }

    /// <summary>Completes when a retryable error arrives, so the sender retries without waiting out the ACK timeout.</summary>
    public Task Nudged => _nudge.Task;

    public void Acknowledge(AckFrame ack) => Done.TrySetResult(new SendReceipt(
        ack.ClientMessageId, ack.MessageId, ack.Seq, DateTimeOffset.FromUnixTimeMilliseconds(ack.Timestamp), ack.Duplicate) { PeerSeq = ack.PeerSeq });

    /// <summary>How long the server asked this send to wait before its next attempt (a 429's retryAfterMs).</summary>
    public TimeSpan RetryAfter { get; private set; }

    public void Retryable(string error, TimeSpan retryAfter = default)
    {
        LastError = error;
        RetryAfter = retryAfter;
        _nudge.TrySetResult();
    }

    public void ResetNudge() => _nudge = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed class PendingSends
{
    private readonly ConcurrentDictionary<string, PendingSend> _sends = new();

    public IEnumerable<PendingSend> All => _sends.Values;

    public void Add(PendingSend send) => _sends[send.ClientMessageId] = send;

    public void Remove(PendingSend send) => _sends.TryRemove(send.ClientMessageId, out _);

    public PendingSend? Find(string? clientMessageId) =>
        clientMessageId is not null && _sends.TryGetValue(clientMessageId, out var send) ? send : null;
}
