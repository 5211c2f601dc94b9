using System.Net;
using System.Net.Http.Json;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.WebChat;

/// <summary>The web chat's files and its development sign-in, over HTTP: the page is served, tokens only when configured.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class WebChatEndpointTests(ClusterFixture cluster)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task ThePage_AndItsScripts_AreServed_WithTheirContentTypes()
    {
        var root = $"http://127.0.0.1:{cluster.Edge.HttpPort}";
        using var page = await Http.GetAsync(root + "/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/web/msgpack.min.js", await page.Content.ReadAsStringAsync());
        foreach (var file in new[] { "msgpack.min.js", "protocol.js", "app.js" })
        {
            using var script = await Http.GetAsync($"{root}/web/{file}");
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        }

        using var missing = await Http.GetAsync(root + "/web/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task DevTokens_AreOff_UnlessConfigured()
    {
        using var response = await Http.PostAsJsonAsync($"http://127.0.0.1:{cluster.Edge.HttpPort}/dev/token", new { user = "alice", device = "web-1" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ADevToken_SignsInTheDeviceItNames_AndBadIdsAreRefused()
    {
        await using var edge = await cluster.StartEdgeAsync($"devtok-{Guid.NewGuid():N}"[..14], new Dictionary<string, string?> { ["WebChat:DevTokens"] = "true" });
        var url = $"http://127.0.0.1:{edge.HttpPort}/dev/token";
        using var bad = await Http.PostAsJsonAsync(url, new { user = "not an id", device = "web-1" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ids are", await bad.Content.ReadAsStringAsync());

        var user = Clients.NewUser("web");
        using var issued = await Http.PostAsJsonAsync(url, new { user, device = "web-1" });
        var token = (await issued.Content.ReadFromJsonAsync<Issued>())!.Token;
        await using var client = new ImClient(new ImClientOptions { Servers = [edge.WebSocket], Device = "web-1", TokenProvider = _ => ValueTask.FromResult(token) });
        await client.ConnectAsync();
        Assert.Equal(user, client.UserId);
    }

    private sealed record Issued(string Token, DateTimeOffset ExpiresAt);
}
