using ImActors.Edge.Metrics;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Calls;

/// <summary>
/// The one way the edge calls grains on a client's behalf. Each call is bounded and retried as its
/// <see cref="CallPolicy"/> says (<see cref="TransientRetry"/>), and a failure becomes the error the client is told
/// (<see cref="GrainErrors"/>). Frame handlers never catch grain exceptions themselves: they get a
/// <see cref="CallResult{T}"/> and reply with its value or its error.
/// </summary>
public sealed class ClusterCalls(GrainErrors errors, EdgeMetrics metrics, ILogger<ClusterCalls> logger)
{
    private readonly Action _retried = metrics.Retried;

    /// <summary>
    /// How long a call that is not retried may take. A call in flight to a silo that is killed is not failed
    /// when the silo is declared dead: it waits out Orleans' 30 s response timeout, and the client's connection,
    /// whose frames are handled one at a time, waits with it. Past this the client gets a retryable error (the
    /// request may or may not have been carried out), long enough for a large group's change on a loaded machine
    /// (decision 80).
    /// </summary>
    public static readonly TimeSpan SingleAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the call under its policy; a failure is thrown. For work that keeps the task itself (a group subscription).</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> call, CallPolicy policy) => policy switch
    {
        CallPolicy.Retried => TransientRetry.RunAsync(call, retrying: _retried),
        CallPolicy.RetriedNeverAbandoned => TransientRetry.RunAsync(call, abandonSlowAttempts: false, _retried),
        CallPolicy.Once => call().WaitAsync(SingleAttemptTimeout),
        _ => call(),
    };

    /// <summary>Runs the call under its policy; a failure comes back as the error to tell the client.</summary>
    public async Task<CallResult<T>> TryAsync<T>(Func<Task<T>> call, CallPolicy policy)
    {
        try
        {
            return CallResult<T>.Succeeded(await RunAsync(call, policy));
        }
        catch (Exception e)
        {
            return CallResult<T>.Failed(errors.Classify(e));
        }
    }

    /// <summary>As <see cref="TryAsync{T}"/> for a call without a value: null when it succeeded.</summary>
    public async Task<ClientError?> TryAsync(Func<Task> call, CallPolicy policy)
    {
        var result = await TryAsync(async () =>
        {
            await call();
            return true;
        }, policy);
        return result.Error;
    }

    /// <summary>
    /// A call whose outcome the client never hears of (a session's end): null when it succeeded, otherwise what went
    /// wrong, for the caller to log in its own words.
    /// </summary>
    public async Task<Exception?> AttemptAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>
    /// Starts a call and does not wait for it: for notices whose loss costs nothing worth a retry (typing, an
    /// unsubscribe the group also infers at its next push) and for undoing a half-done login.
    /// </summary>
    public void FireAndForget(Func<Task> call)
    {
        try
        {
            _ = call();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "A call to the cluster could not be started");
        }
    }
}
