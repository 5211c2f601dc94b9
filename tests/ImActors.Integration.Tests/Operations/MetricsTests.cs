using System.Net;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Operations;

/// <summary>/metrics on the admin listener: the instruments move with the traffic that should move them, and the clients' ports do not serve it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture cluster)
{
    private static readonly Dictionary<string, string?> WithMetrics = new() { ["Admin:Metrics"] = "true" };

    [Fact]
    public async Task HellosSendsAndStoreCalls_AreCounted()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-metrics", WithMetrics);
        using var http = new HttpClient();
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        var before = await ScrapeAsync(http, edge);

        await using (var aliceClient = await Clients.ConnectAsync(edge.Tcp, alice))
        {
            await aliceClient.SendTextAsync(bob, "one");
            await aliceClient.SendTextAsync(bob, "two");
        }

        var refused = new ImClient(new ImClientOptions { Servers = [edge.Tcp], TokenProvider = _ => ValueTask.FromResult("not-a-token") });
        await Assert.ThrowsAnyAsync<Exception>(() => refused.ConnectAsync());
        await refused.DisposeAsync();

        // Each rise checked on its own, so a failure says which instrument did not move and what it read.
        (string Metric, string[] Labels, double Rise)[] expected =
        [
            ("imactors_edge_sends_total", ["conversation=\"direct\"", "result=\"acked\""], 2),
            ("imactors_edge_hellos_total", ["result=\"accepted\""], 1),
            ("imactors_edge_hellos_total", ["result=\"refused\""], 1),
            ("imactors_edge_ack_duration_milliseconds_count", [], 2),
            ("imactors_store_duration_milliseconds_count", [], 1),
        ];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var after = await ScrapeAsync(http, edge);
        while (expected.Any(e => Sum(after, e.Metric, e.Labels) < Sum(before, e.Metric, e.Labels) + e.Rise) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            after = await ScrapeAsync(http, edge);
        }
        foreach (var (metric, labels, rise) in expected)
        {
            var (was, now) = (Sum(before, metric, labels), Sum(after, metric, labels));
            Assert.True(now >= was + rise, $"{metric}{{{string.Join(',', labels)}}} went from {was} to {now}, expected a rise of {rise}");
        }

        var text = await ScrapeAsync(http, edge);
        Assert.Contains("imactors_edge_connections", text);
        Assert.Contains("orleans_", text);
        Assert.Contains("dotnet_gc_", text);
        Assert.Contains("kestrel_", text);
    }

    [Fact]
    public async Task TheEdgesConnectionLimit_IsServedBesideTheOpenConnections()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-metrics-limit", new Dictionary<string, string?>(WithMetrics) { ["Edge:MaxConnections"] = "1234" });
        using var http = new HttpClient();

        var text = await ScrapeAsync(http, edge);

        Assert.Equal(1234, Sum(text, "imactors_edge_connections_limit", []));
    }

    [Fact]
    public async Task TheClientsPortDoesNotServeMetrics_AndTheApiStaysOffWithoutKeys()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-metrics-ports", WithMetrics);
        using var http = new HttpClient();

        var onClientPort = await http.GetAsync($"http://127.0.0.1:{edge.HttpPort}/metrics");
        var api = await http.GetAsync(new Uri(edge.Admin, "/api/v1/presence?users=ann"));
        var other = await http.GetAsync(new Uri(edge.Admin, "/health"));

        Assert.Equal(HttpStatusCode.NotFound, onClientPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Contains("the API is off", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task WithoutMetricsOrKeys_NoAdminListenerOpens()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-no-admin", new Dictionary<string, string?>());
        using var http = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(edge.Admin, "/metrics")));
    }

    private static Task<string> ScrapeAsync(HttpClient http, EdgeProcess edge) => PrometheusText.ScrapeAsync(http, edge.Admin);

    private static double Sum(string scrape, string metric, params string[] labels) => PrometheusText.Sum(scrape, metric, labels);
}
