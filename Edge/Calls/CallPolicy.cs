namespace ImActors.Edge.Calls;

/// <summary>How <see cref="ClusterCalls"/> runs a call: whether it is retried through a failover, and how long it may take.</summary>
public enum CallPolicy
{
    /// <summary>
    /// Safe to repeat (sends by cmid, syncs, requests whose second run changes nothing): retried through a failover
    /// within <see cref="TransientRetry.Budget"/>, and an attempt slower than <see cref="TransientRetry.AttemptTimeout"/>
    /// is abandoned for a new one.
    /// </summary>
    Retried,

    /// <summary>
    /// Retried when an attempt fails, but never abandoned while it runs: for calls that must not run after a later
    /// one (a connect, a group subscription). See <see cref="TransientRetry.RunAsync{T}"/>.
    /// </summary>
    RetriedNeverAbandoned,

    /// <summary>
    /// One attempt, given up after <see cref="ClusterCalls.SingleAttemptTimeout"/>: for requests that may be refused
    /// the second time after a first run that did happen.
    /// </summary>
    Once,

    /// <summary>Awaited as it is: for work that bounds and retries its own grain calls (a login's group subscriptions).</summary>
    Unbounded,
}
