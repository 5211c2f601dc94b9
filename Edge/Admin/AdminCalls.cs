using ImActors.Edge.Calls;

namespace ImActors.Edge.Admin;

/// <summary>
/// A grain call made for the API, through the edge's one way of calling the cluster (<see cref="ClusterCalls"/>: its
/// retries, time limits and error mapping), answered as HTTP: the value as JSON, or the error as <see cref="ApiError"/>.
/// </summary>
public sealed class AdminCalls(ClusterCalls cluster)
{
    public async Task<IResult> RunAsync<T>(Func<Task<T>> call, CallPolicy policy, Func<T, IResult> answer)
    {
        var result = await cluster.TryAsync(call, policy);
        return result.Error is { } error ? ApiError.From(error) : answer(result.Value);
    }

    public async Task<IResult> RunAsync(Func<Task> call, CallPolicy policy)
    {
        var error = await cluster.TryAsync(call, policy);
        return error is { } failed ? ApiError.From(failed) : Results.NoContent();
    }
}
