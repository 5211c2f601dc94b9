namespace ImActors.Grains.Store;

/// <summary>Whether an ACK waits for replicas of the store (decision 120). Bound from the "Store" section; Redis only.</summary>
public sealed class ReplicaWaitOptions
{
    /// <summary>
    /// Replicas of every master that must hold a write before the silo acts on it (Redis <c>WAIT</c>). 0, the default: an
    /// ACK follows the master's own commit, and a master lost before its replica copied a write loses that write.
    /// </summary>
    public int WaitReplicas { get; set; }

    /// <summary>How long one <c>WAIT</c> may take; fewer replicas by then fail the round's sends with a retryable error.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
