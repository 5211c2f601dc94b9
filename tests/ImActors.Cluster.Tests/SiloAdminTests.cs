using System.Net;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>
/// A silo process's own admin listener (decision 131), on the silos <c>cluster.sh</c> starts: <c>/metrics</c> serves
/// Orleans' and the store's instruments and they move with traffic through the edges; <c>/health/ready</c> fails while
/// the store is stopped and passes again once it is back, while <c>/health/live</c> keeps answering.
/// </summary>
[Trait("Tier", "Slow")]
[Collection(LocalClusterCollection.Name)]
public sealed class SiloAdminTests(LocalCluster cluster)
{
    private const int Sends = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact(Timeout = 120_000)]
    public async Task SiloMetrics_ServeOrleansAndStoreInstruments_ThatMoveWithTraffic()
    {
        await cluster.RestoreAsync();
        var silos = await RunningSilosAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var before = await ScrapeAllAsync(http, silos);

        var edge = (await cluster.Script.EdgesAsync()).First();
        await using (var sender = await DevClients.ConnectAsync(edge, "m" + Guid.NewGuid().ToString("N")[..7]))
        {
            for (var i = 0; i < Sends; i++)
            {
                await sender.SendTextAsync("r" + Guid.NewGuid().ToString("N")[..7], $"m{i}", $"c{i}");
            }
        }

        // Summed over the silos: which silo a user's grains landed on is the cluster's choice.
        (string Metric, double Rise)[] expected =
        [
            ("imactors_store_duration_milliseconds_count", Sends),
            ("orleans_gateway_received_total", Sends),
            ("orleans_messaging_processing_dispatcher_received_total", Sends),
        ];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var after = await ScrapeAllAsync(http, silos);
        while (expected.Any(e => Total(after, e.Metric) < Total(before, e.Metric) + e.Rise) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            after = await ScrapeAllAsync(http, silos);
        }

        foreach (var (metric, rise) in expected)
        {
            var (was, now) = (Total(before, metric), Total(after, metric));
            Assert.True(now >= was + rise, $"{metric} summed over the silos went from {was} to {now}, expected a rise of {rise}");
        }

        Assert.All(after, scrape => Assert.Contains("dotnet_gc_", scrape));
    }

    [Fact(Timeout = 60_000)]
    public async Task SiloAdminPorts_AreWhatTheScriptPrints_AndTheGatewayPortServesNoMetrics()
    {
        await cluster.RestoreAsync();
        var status = await cluster.Script.RunAsync("status");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        foreach (var silo in await RunningSilosAsync())
        {
            Assert.Contains($"admin :{silo.Admin.Port}", status);
            // The gateway speaks Orleans' protocol to clients: an HTTP request there gets no answer at all.
            await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync($"http://127.0.0.1:{silo.GatewayPort}/metrics"));
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task SiloReadiness_FailsWhileTheStoreIsStopped_AndPassesAgainOnceItIsBack()
    {
        await cluster.RestoreAsync();
        var silos = await RunningSilosAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.All(await StatusesAsync(http, silos, "/health/ready"), s => Assert.Equal(HttpStatusCode.OK, s.Status));

        await cluster.Script.RunAsync("stop-redis");
        try
        {
            var down = await UntilAsync(http, silos, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.All(down, s => Assert.Contains("\"store\":\"down\"", s.Body));
            // Live is the process alone: an orchestrator restarting on it would restart every silo for a store outage.
            Assert.All(await StatusesAsync(http, silos, "/health/live"), s => Assert.Equal(HttpStatusCode.OK, s.Status));
        }
        finally
        {
            await cluster.Script.RunAsync("start-redis");
        }

        await UntilAsync(http, silos, "/health/ready", HttpStatusCode.OK);
    }

    private async Task<List<SiloAdmin>> RunningSilosAsync()
    {
        var status = await cluster.Script.RunAsync("status");
        var running = status.Split('\n').Where(l => l.StartsWith("silo-", StringComparison.Ordinal) && l.TrimEnd().EndsWith("running", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]).ToHashSet();
        var silos = cluster.Script.Silos().Where(s => running.Contains(s.Name)).ToList();
        Assert.NotEmpty(silos);
        return silos;
    }

    private static async Task<List<string>> ScrapeAllAsync(HttpClient http, List<SiloAdmin> silos) =>
        [.. await Task.WhenAll(silos.Select(s => PrometheusText.ScrapeAsync(http, s.Admin)))];

    private static double Total(List<string> scrapes, string metric) => scrapes.Sum(s => PrometheusText.Sum(s, metric));

    private static async Task<List<(string Name, HttpStatusCode Status, string Body)>> StatusesAsync(HttpClient http, List<SiloAdmin> silos, string path)
    {
        var answers = new List<(string, HttpStatusCode, string)>();
        foreach (var silo in silos)
        {
            using var reply = await http.GetAsync(new Uri(silo.Admin, path));
            answers.Add((silo.Name, reply.StatusCode, await reply.Content.ReadAsStringAsync()));
        }

        return answers;
    }

    /// <summary>Until every silo answers <paramref name="path"/> with <paramref name="status"/>; fails with their last answers.</summary>
    private static async Task<List<(string Name, HttpStatusCode Status, string Body)>> UntilAsync(
        HttpClient http, List<SiloAdmin> silos, string path, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var answers = await StatusesAsync(http, silos, path);
            if (answers.All(a => a.Status == status))
            {
                return answers;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"not every silo answered {path} with {(int)status} within {Patience.TotalSeconds:0} s:\n"
                + string.Join('\n', answers.Select(a => $"{a.Name} {(int)a.Status} {a.Body}")));
            await Task.Delay(500);
        }
    }
}
