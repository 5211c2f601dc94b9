using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Admin;

/// <summary>
/// The Orleans dashboard on an edge's admin listener (decision 128): only there, and only to a browser that gives an
/// API key as the password of HTTP Basic.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class DashboardTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string Key = "dashboard-key";
    private EdgeProcess _edge = null!;

    public async Task InitializeAsync() => _edge = await cluster.StartEdgeAsync("edge-dashboard", new Dictionary<string, string?>
    {
        ["Admin:ApiKeys:ops"] = Key,
        ["Admin:Dashboard"] = "true",
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task WithoutAKey_TheBrowserIsAskedForOne()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync($"http://127.0.0.1:{_edge.AdminPort}/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task AWrongKey_IsRefused()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = Basic("ops", "not-the-key");

        var response = await http.GetAsync($"http://127.0.0.1:{_edge.AdminPort}/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AKeyAsThePassword_GetsThePage()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = Basic("anyone", Key);

        // The page's own address ends in a slash (a browser is redirected there and sends the same credentials again;
        // HttpClient drops them on a redirect).
        var response = await http.GetAsync($"http://127.0.0.1:{_edge.AdminPort}/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheClientsPort_HasNoDashboard_EvenWithTheKey()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = Basic("anyone", Key);

        var response = await http.GetAsync($"http://127.0.0.1:{_edge.HttpPort}/dashboard");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
