using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ImActors.Client;
using ImActors.Client.Selection;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Operations;

/// <summary>Edges report their load; GET /edges weighs them; clients spread over them by those weights and skip an edge that is gone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EdgeSelectionTests(ClusterFixture cluster)
{
    private static Dictionary<string, string?> Small() => new()
    {
        ["Edge:MaxConnections"] = "50",
        ["Edge:LoadReportInterval"] = "00:00:00.500",
        // The load below is sockets that never say hello: they must outlive the test.
        ["Admission:HelloTimeout"] = "00:02:00",
    };

    [Fact]
    public async Task TheLeastLoadedEdge_IsWeighedHighest_AndPickedMost()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var idle = await cluster.StartEdgeAsync($"sel-{run}-a", Small());
        await using var busy = await cluster.StartEdgeAsync($"sel-{run}-b", Small());
        await using var busiest = await cluster.StartEdgeAsync($"sel-{run}-c", Small());
        using var load = new SocketLoad();
        await load.OpenAsync(busy, 20);
        await load.OpenAsync(busiest, 40);

        Dictionary<string, int> weights = [];
        await Eventually.TrueAsync(async () =>
        {
            weights = await WeightsAsync(idle, [Id(idle), Id(busy), Id(busiest)]);
            return weights.Count == 3 && weights[Id(idle)] > weights[Id(busy)] && weights[Id(busy)] > weights[Id(busiest)];
        });

        var picker = new SmoothWeightedRoundRobin();
        var candidates = weights.Select(w => (w.Key, w.Value)).ToList();
        var picks = Enumerable.Range(0, 60).Select(_ => picker.Next(candidates)!).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(picks[Id(idle)] > picks[Id(busy)] && picks[Id(busy)] > picks.GetValueOrDefault(Id(busiest)), string.Join(", ", picks));
    }

    [Fact]
    public async Task AStoppedEdge_LeavesTheList_AndAClientWithTheDirectoryConnectsElsewhere()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var staying = await cluster.StartEdgeAsync($"sel-{run}-stay", Small());
        var leaving = await cluster.StartEdgeAsync($"sel-{run}-leave", Small());
        var (leavingId, leavingTcp) = (Id(leaving), leaving.Tcp);
        await Eventually.TrueAsync(async () => (await WeightsAsync(staying, [leavingId])).Count == 1);

        await leaving.DisposeAsync();
        await Eventually.TrueAsync(async () => (await WeightsAsync(staying, [leavingId])).Count == 0);

        var user = Clients.NewUser("picker");
        await using var client = new ImClient(new ImClientOptions
        {
            Servers = [leavingTcp],
            EdgeDirectory = new Uri($"http://127.0.0.1:{staying.HttpPort}"),
            TokenProvider = _ => ValueTask.FromResult(Clients.Token(user)),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        await client.ConnectAsync();
        await client.SendTextAsync(user, "connected through the directory");
    }

    [Fact]
    public void SmoothWeightedRoundRobin_InterleavesInProportion()
    {
        var picker = new SmoothWeightedRoundRobin();
        var picks = Enumerable.Range(0, 7).Select(_ => picker.Next([("a", 5), ("b", 1), ("c", 1)])!).ToArray();

        Assert.Equal(new[] { "a", "a", "b", "a", "c", "a", "a" }, picks);
        Assert.Null(picker.Next([("a", 0)]));
    }

    private static string Id(EdgeProcess edge) => edge.Identity.EdgeId;

    /// <summary>The weights GET /edges gives, of these edges only (the fixture's other edges report too).</summary>
    private static async Task<Dictionary<string, int>> WeightsAsync(EdgeProcess asked, string[] of)
    {
        using var http = new HttpClient();
        var listing = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{asked.HttpPort}/edges");
        var ids = of.ToHashSet();
        return listing.GetProperty("edges").EnumerateArray()
            .Where(e => ids.Contains(e.GetProperty("id").GetString()!))
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("weight").GetInt32());
    }

    /// <summary>Open TCP connections that never say hello: load an edge counts without a session behind each.</summary>
    private sealed class SocketLoad : IDisposable
    {
        private readonly List<TcpClient> _sockets = [];

        public async Task OpenAsync(EdgeProcess edge, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", edge.TcpPort);
                _sockets.Add(socket);
            }

            await Eventually.TrueAsync(() => edge.Connections.Count >= count);
        }

        public void Dispose() => _sockets.ForEach(s => s.Dispose());
    }
}
