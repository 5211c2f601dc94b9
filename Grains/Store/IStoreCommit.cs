namespace ImActors.Grains.Store;

/// <summary>
/// Makes what the store has answered durable before the silo acts on it. A silo sends an ACK, a push or a
/// page of history only after this completes, so nothing a client has seen (a message, its seq) can be lost
/// by a crash of the store and handed out again to another message.
/// </summary>
public interface IStoreCommit
{
    /// <summary>
    /// Completes once every write the store answered before this call is on disk. Throws
    /// <see cref="Interfaces.Messages.StoreUnavailableException"/> when that cannot be confirmed in time.
    /// </summary>
    Task WaitAsync();
}

/// <summary>
/// For a store whose replies already follow its commit: Redis with <c>appendfsync always</c> writes and fsyncs
/// its append-only file before it sends the replies of that event-loop turn.
/// </summary>
public sealed class RepliesFollowCommit : IStoreCommit
{
    public Task WaitAsync() => Task.CompletedTask;
}
