using System.Text.Json;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Admin;

/// <summary><c>imctl status</c> against the shared cluster: a JSON line per silo and per edge, the connections' total and the store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ImctlStatusTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Status_PrintsEverySilo_EveryEdgeWithItsConnections_AndTheStoreUp()
    {
        await using var client = await Clients.ConnectAsync(cluster.Edge.Tcp, Clients.NewUser("status"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var run = await Imctl.RunAsync("status", "--api-key", ClusterFixture.ApiKey, "--api", cluster.Edge.Admin.ToString());
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var kinds = lines.Select(l => l.GetProperty("kind").GetString()).ToList();
            Assert.Equal(2, kinds.Count(k => k == "silo"));
            Assert.All(lines.Where(l => l.GetProperty("kind").GetString() == "silo"), s => Assert.Equal("Active", s.GetProperty("status").GetString()));
            Assert.Equal("up", lines.Single(l => l.GetProperty("kind").GetString() == "store").GetProperty("status").GetString());
            var total = lines.Single(l => l.GetProperty("kind").GetString() == "connections").GetProperty("total").GetInt32();
            // Edges report every 2 s: the connection above shows once edge-a has reported since it opened.
            var edgeA = lines.SingleOrDefault(l => l.GetProperty("kind").GetString() == "edge" && l.GetProperty("edge").GetString() == "edge-a");
            if (edgeA.ValueKind == JsonValueKind.Object && edgeA.GetProperty("connections").GetInt32() >= 1)
            {
                Assert.True(total >= 1, run.Stdout);
                Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "edge" && l.GetProperty("edge").GetString() == "edge-b");
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "edge-a never showed its connection:\n" + run.Stdout);
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Status_WithoutAKey_FailsWithOneErrorLine()
    {
        var run = await Imctl.RunAsync("status", "--api-key", "not-the-key", "--api", cluster.Edge.Admin.ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("imctl: 401", run.Stderr.Trim());
    }
}
