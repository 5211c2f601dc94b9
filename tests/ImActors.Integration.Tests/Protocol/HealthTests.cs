using System.Net;
using System.Text.Json;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Protocol;

/// <summary>An edge's health endpoints: ready when the cluster and the store answer; live whenever the process does.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HealthTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Health_WithTheClusterAndStoreUp_IsOk_AndSaysBothAnswered()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync($"http://127.0.0.1:{cluster.Edge.HttpPort}/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        var check = body.RootElement.GetProperty("checks").GetProperty("cluster");
        Assert.Equal("up", check.GetProperty("status").GetString());
        Assert.Equal("up", check.GetProperty("data").GetProperty("store").GetString());
        Assert.True(body.RootElement.GetProperty("connections").GetInt32() >= 0);
    }

    [Fact]
    public async Task Live_RunsNoCheck()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync($"http://127.0.0.1:{cluster.Edge.HttpPort}/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(body.RootElement.GetProperty("checks").EnumerateObject());
    }
}
