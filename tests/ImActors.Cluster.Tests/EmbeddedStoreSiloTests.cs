using System.Net;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>
/// A silo process on its embedded store, with a separate edge: the store's group commit runs in the silo, and the
/// silo's own <c>/metrics</c> (decision 131) shows how many calls each commit round made durable, rising with sends.
/// </summary>
[Trait("Tier", "Slow")]
public sealed class EmbeddedStoreSiloTests : IAsyncLifetime
{
    private const int Sends = 6;
    private readonly string _dir = Directory.CreateTempSubdirectory("imactors-embedded-silo-").FullName;
    private readonly int _adminPort = BuiltProcess.FreePort();
    private readonly int _edgeTcpPort = BuiltProcess.FreePort();
    private readonly int _edgeHttpPort = BuiltProcess.FreePort();
    private BuiltProcess? _silo;
    private BuiltProcess? _edge;

    public async Task InitializeAsync()
    {
        var clusterId = "embedded-" + Guid.NewGuid().ToString("N")[..8];
        var storePort = BuiltProcess.FreePort();
        _silo = BuiltProcess.Start(("Silo", "ImActors.Silo"), _dir, new Dictionary<string, string>
        {
            ["Store:DataDir"] = Path.Combine(_dir, "store"), ["Store:EmbeddedPort"] = storePort.ToString(),
            ["Cluster:SiloPort"] = BuiltProcess.FreePort().ToString(), ["Cluster:GatewayPort"] = BuiltProcess.FreePort().ToString(),
            ["Cluster:ClusterId"] = clusterId, ["Admin:Port"] = _adminPort.ToString(), ["Admin:Metrics"] = "true",
        });
        await UntilOkAsync($"http://127.0.0.1:{_adminPort}/health/ready", _silo);
        _edge = BuiltProcess.Start(("Edge", "ImActors.Edge"), _dir, new Dictionary<string, string>
        {
            ["Store:Redis"] = $"127.0.0.1:{storePort}", ["Store:PasswordFile"] = Path.Combine(_dir, "store", "password"),
            ["Cluster:ClusterId"] = clusterId, ["Edge:EdgeId"] = clusterId + "-edge", ["Edge:TcpPort"] = _edgeTcpPort.ToString(),
            ["Edge:HttpPort"] = _edgeHttpPort.ToString(), ["Auth:Development"] = "true",
        });
        await UntilOkAsync($"http://127.0.0.1:{_edgeHttpPort}/health/ready", _edge);
    }

    public async Task DisposeAsync()
    {
        if (_edge is not null) await _edge.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task SiloMetrics_ShowTheGroupCommitsBatches_RisingWithSends()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var admin = new Uri($"http://127.0.0.1:{_adminPort}");
        // The sum of the batch sizes: calls made durable by a round. Rounds nobody waits for (the background commit of
        // Orleans' own writes) add rounds but no calls, so only sends move it.
        const string madeDurable = "imactors_store_commit_batch_sum";
        var before = PrometheusText.Sum(await PrometheusText.ScrapeAsync(http, admin), madeDurable);

        await using (var sender = await DevClients.ConnectAsync(new Uri($"tcp://127.0.0.1:{_edgeTcpPort}"), "e" + Guid.NewGuid().ToString("N")[..7]))
        {
            for (var i = 0; i < Sends; i++)
            {
                await sender.SendTextAsync("r" + Guid.NewGuid().ToString("N")[..7], $"m{i}", $"c{i}");
            }
        }

        var scrape = await PrometheusText.ScrapeAsync(http, admin);
        var after = PrometheusText.Sum(scrape, madeDurable);
        Assert.True(after >= before + Sends, $"{madeDurable} went from {before} to {after} over {Sends} ACKed sends");
        Assert.True(PrometheusText.Sum(scrape, "imactors_store_commit_duration_milliseconds_count") > 0, scrape);
    }

    private static async Task UntilOkAsync(string url, BuiltProcess process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            Assert.False(process.HasExited, $"the process exited; the end of its log:\n{process.LogTail()}");
            try
            {
                using var reply = await http.GetAsync(url);
                if (reply.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} was not 200 within 90 s; the end of the log:\n{process.LogTail()}");
            await Task.Delay(500);
        }
    }
}
