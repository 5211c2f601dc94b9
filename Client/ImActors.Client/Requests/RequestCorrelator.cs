using System.Collections.Concurrent;
using ImActors.Protocol.Frames;

namespace ImActors.Client.Requests;

/// <summary>
/// Matches answers to requests by the rid both carry. Every request, the application's and the client's own (syncs,
/// the conversation list after a welcome), gets a fresh rid and says which frame answers it: an answer is found by
/// looking its rid up, never by what the rid looks like, and a frame of another type is not taken for an answer.
/// </summary>
internal sealed class RequestCorrelator
{
    private readonly ConcurrentDictionary<string, AwaitedReply> _awaited = new();
    private long _lastId;

    /// <summary>The application's requests still unanswered: a new connection sends them again.</summary>
    public IEnumerable<PendingRequest> Pending => _awaited.Values.OfType<PendingRequest>();

    /// <summary>A rid this client has not used before.</summary>
    public string NextId() => "r" + Interlocked.Increment(ref _lastId);

    /// <summary>Starts waiting for the answer; call before the request is sent, so the answer cannot arrive first.</summary>
    public void Await(AwaitedReply request) => _awaited[request.RequestId] = request;

    public void Forget(AwaitedReply request) => _awaited.TryRemove(KeyValuePair.Create(request.RequestId, request));

    /// <summary>
    /// A new connection: what the client asked for itself on the old one will not be answered, and is asked again
    /// after the welcome. The application's requests stay, to go out again.
    /// </summary>
    public void ForgetConnectionRequests()
    {
        foreach (var request in _awaited.Values)
        {
            if (request is not PendingRequest)
            {
                Forget(request);
            }
        }
    }

    /// <summary>Hands <paramref name="reply"/> to the request it answers. False when none waits for a reply of this type with this rid.</summary>
    public async ValueTask<bool> ReplyAsync<TReply>(string? requestId, TReply reply)
        where TReply : class
    {
        if (Take<AwaitedReply<TReply>>(requestId) is not { } request)
        {
            return false;
        }

        await request.ReplyAsync(reply);
        return true;
    }

    /// <summary>Fails the request <paramref name="error"/> answers, and only that one. False when none waits with its rid.</summary>
    public async ValueTask<bool> FailAsync(ErrorFrame error)
    {
        if (Take<AwaitedReply>(error.RequestId) is not { } request)
        {
            return false;
        }

        await request.FailAsync(error);
        return true;
    }

    /// <summary>The client stopped for good: every request the application awaits fails with <paramref name="reason"/>.</summary>
    public void AbandonAll(Exception reason)
    {
        foreach (var request in Pending)
        {
            request.Abandon(reason);
        }
    }

    // Looked at before it is removed: an answer of the wrong type leaves the request waiting for the right one.
    private T? Take<T>(string? requestId)
        where T : AwaitedReply =>
        requestId is not null && _awaited.TryGetValue(requestId, out var request) && request is T typed
        && _awaited.TryRemove(KeyValuePair.Create(requestId, request))
            ? typed
            : null;
}
