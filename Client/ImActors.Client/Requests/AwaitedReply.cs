using ImActors.Protocol.Frames;

namespace ImActors.Client.Requests;

/// <summary>
/// A request waiting for the frame that answers it, which carries the same rid: a reply of the type the request
/// expects, or an error. Handlers run on the receive loop, in the order frames arrive.
/// </summary>
internal abstract class AwaitedReply(string requestId)
{
    public string RequestId { get; } = requestId;

    public abstract ValueTask FailAsync(ErrorFrame error);
}

/// <inheritdoc cref="AwaitedReply"/>
/// <typeparam name="TReply">The frame that answers the request: a result, a sync page.</typeparam>
internal abstract class AwaitedReply<TReply>(string requestId) : AwaitedReply(requestId)
    where TReply : class
{
    public abstract ValueTask ReplyAsync(TReply reply);
}

/// <summary>
/// A request the client makes for itself on one connection (a sync, the conversation list after a welcome): its
/// answer is handled by whoever asked, and it is forgotten with the connection, since whoever asked asks again
/// after the next welcome.
/// </summary>
internal sealed class ConnectionRequest<TReply>(
    string requestId, Func<TReply, ValueTask> onReply, Func<ErrorFrame, ValueTask> onError) : AwaitedReply<TReply>(requestId)
    where TReply : class
{
    public override ValueTask ReplyAsync(TReply reply) => onReply(reply);

    public override ValueTask FailAsync(ErrorFrame error) => onError(error);
}
