using System.Collections.Concurrent;
using ImActors.Protocol.Frames;

namespace ImActors.Client.Requests;

/// <summary>A request waiting for its result: sent again on reconnect (every request op is safe to repeat).</summary>
internal sealed class PendingRequest(string requestId, byte[] frame)
{
    public string RequestId { get; } = requestId;

    public byte[] Frame { get; } = frame;

    public TaskCompletionSource<ResultFrame> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed class PendingRequests
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new();

    public IEnumerable<PendingRequest> All => _requests.Values;

    public void Add(PendingRequest request) => _requests[request.RequestId] = request;

    public void Remove(PendingRequest request) => _requests.TryRemove(request.RequestId, out _);

    public PendingRequest? Find(string? requestId) =>
        requestId is not null && _requests.TryGetValue(requestId, out var request) ? request : null;
}
