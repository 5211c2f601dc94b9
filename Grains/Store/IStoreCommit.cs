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
/// No wait. Right for a store whose replies already follow its commit: Redis with <c>appendfsync always</c> writes
/// and fsyncs its append-only file before it sends the replies of that event-loop turn. Also what the embedded
/// store runs with under <c>Store:CommitWait=false</c>, kept only to measure what the commit costs: a killed
/// process then loses the ACKed messages of its last milliseconds.
/// </summary>
public sealed class NoCommitWait : IStoreCommit
{
    public Task WaitAsync() => Task.CompletedTask;
}
