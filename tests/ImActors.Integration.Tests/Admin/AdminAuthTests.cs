using System.Net;
using System.Net.Sockets;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Admin;

/// <summary>Who gets into the admin API: nobody where no key is configured, only a configured key elsewhere.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class AdminAuthTests(ClusterFixture cluster)
{
    [Fact]
    public async Task NoKeyConfigured_TheApiIsNotListening()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);

        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, cluster.EdgeB.AdminPort));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task NoKeySent_Is401_WithAJsonMessage()
    {
        using var admin = new AdminClient(cluster.Edge, apiKey: null);

        var reply = await admin.GetAsync($"/api/v1/users/{Clients.NewUser("u")}/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("unauthorized", reply.Str("error"));
        Assert.Contains("Authorization: Bearer", reply.Str("message"));
    }

    [Fact]
    public async Task AWrongKey_Is401_AndSaysSo()
    {
        using var admin = new AdminClient(cluster.Edge, apiKey: ClusterFixture.ApiKey + "x");

        var reply = await admin.GetAsync($"/api/v1/users/{Clients.NewUser("u")}/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Contains("not one this edge accepts", reply.Str("message"));
    }

    [Fact]
    public async Task TheRightKey_GetsIn()
    {
        using var admin = new AdminClient(cluster.Edge);

        var reply = await admin.GetAsync($"/api/v1/users/{Clients.NewUser("u")}/sessions");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Empty(reply.Json.EnumerateArray());
    }

    [Fact]
    public async Task TheApi_IsNotServedOnTheClientsPort_WhateverTheHostHeader()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{cluster.Edge.HttpPort}/api/v1/users/u1/sessions");
        request.Headers.Host = $"127.0.0.1:{cluster.Edge.AdminPort}";
        request.Headers.Authorization = new("Bearer", ClusterFixture.ApiKey);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesEveryOperation_AndNothingElse()
    {
        using var admin = new AdminClient(cluster.Edge, apiKey: null);

        var reply = await admin.GetAsync("/api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var paths = reply.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/messages", paths);
        Assert.Contains("/api/v1/groups/{id}/members/{member}/role", paths);
        Assert.Contains("/api/v1/users/{user}/ban", paths);
        Assert.Contains("/api/v1/presence", paths);
        Assert.Contains("/api/v1/groups/{id}/online", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
    }
}
