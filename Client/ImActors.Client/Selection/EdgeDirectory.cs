using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ImActors.Client.Selection;

/// <summary>
/// Chooses the edge to connect to from an edge's <c>GET /edges</c> (docs/protocol.md, "Choosing an edge"): the ready
/// edges with their weights, picked by <see cref="SmoothWeightedRoundRobin"/>. The edge that failed last is skipped
/// while another is listed, since the list lags a dead edge by a few seconds. Null when the directory cannot be read or
/// lists nothing: the client falls back to its configured servers.
/// </summary>
internal sealed class EdgeDirectory(Uri directory, bool webSocket, TimeSpan timeout)
{
    private static readonly HttpClient Http = new();
    private readonly SmoothWeightedRoundRobin _picker = new();

    public async Task<Uri?> NextAsync(Uri? failedLast, CancellationToken cancellationToken)
    {
        Listing? listing;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            listing = await Http.GetFromJsonAsync<Listing>(new Uri(directory, "/edges"), deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var candidates = (listing?.Edges ?? [])
            .Select(e => (Address: webSocket ? e.Ws : e.Tcp, e.Weight))
            .Where(e => e.Address is not null && e.Weight > 0 && Uri.TryCreate(e.Address, UriKind.Absolute, out _))
            .Select(e => (Key: e.Address!, e.Weight))
            .ToList();
        if (failedLast is not null && candidates.Count > 1)
        {
            candidates.RemoveAll(c => c.Key == failedLast.OriginalString);
        }

        return _picker.Next(candidates) is { } chosen ? new Uri(chosen) : null;
    }

    private sealed record Listing([property: JsonPropertyName("edges")] List<ListedEdge>? Edges);

    private sealed record ListedEdge(
        [property: JsonPropertyName("tcp")] string? Tcp,
        [property: JsonPropertyName("ws")] string? Ws,
        [property: JsonPropertyName("weight")] int Weight);
}
