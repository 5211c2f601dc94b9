using ImActors.Protocol.Frames;

namespace ImActors.Client.Requests;

/// <summary>
/// A request the application awaits. It outlives connections: sent again on every new one until answered (every
/// request op is safe to repeat). A refusal fails it with the server's code.
/// </summary>
internal sealed class PendingRequest(string requestId, byte[] frame) : AwaitedReply<ResultFrame>(requestId)
{
    private readonly TaskCompletionSource<ResultFrame> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public byte[] Frame { get; } = frame;

    public Task<ResultFrame> Result => _done.Task;

    public override ValueTask ReplyAsync(ResultFrame reply)
    {
        _done.TrySetResult(reply);
        return ValueTask.CompletedTask;
    }

    public override ValueTask FailAsync(ErrorFrame error)
    {
        _done.TrySetException(new ImClientException(error.Code, error.Reason));
        return ValueTask.CompletedTask;
    }

    /// <summary>No connection will carry the request again (the client was refused for good, or disposed).</summary>
    public void Abandon(Exception reason) => _done.TrySetException(reason);
}
