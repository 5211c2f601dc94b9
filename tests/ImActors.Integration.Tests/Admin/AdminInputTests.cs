using System.Net;
using ImActors.Edge.Admin;
using ImActors.Edge.Calls;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImActors.Integration.Tests.Admin;

/// <summary>Bad input is a 400 naming the field and why; a grain's refusal is the HTTP status it stands for.</summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class AdminInputTests(ClusterFixture cluster)
{
    private static readonly string Big = new('x', ProtocolDefaults.MaxFrameBytes + 1);

    public static TheoryData<string, string, string?, string> BadInputs => new()
    {
        { "POST", "/api/v1/messages", """{"from":"a b","to":"bob","cmid":"c1","text":"hi"}""", "from" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"b{o}b","cmid":"c1","text":"hi"}""", "to" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"bob","group":"g","cmid":"c1","text":"hi"}""", "to" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"bob","text":"hi"}""", "cmid" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"bob","cmid":"c1","text":"hi","contentType":"application/vnd.imactors.recalled"}""", "contentType" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"bob","cmid":"c1","text":"hi","body":"aGk="}""", "text" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":"bob","cmid":"c1","body":"not base64!"}""", "body" },
        { "POST", "/api/v1/messages", $$"""{"from":"ann","to":"bob","cmid":"c1","text":"{{Big}}"}""", "text" },
        { "POST", "/api/v1/messages", """{"from":"ann","to":""", "body" },
        { "POST", "/api/v1/messages", """{"to":"b{o}b","cmid":"c1","text":"hi"}""", "to" },
        { "POST", "/api/v1/messages", """{"from":"ann","cmid":"c1","text":"hi"}""", "to" },
        { "POST", "/api/v1/messages", """{"cmid":"c1","text":"hi"}""", "to" },
        { "POST", "/api/v1/messages", """{"from":"","to":"bob","cmid":"c1","text":"hi"}""", "from" },
        { "POST", "/api/v1/messages", """{"to":"bob","text":"hi"}""", "cmid" },
        { "POST", "/api/v1/messages", """{"to":"bob","cmid":"c1","text":"hi","contentType":"application/vnd.imactors.group-event+json"}""", "contentType" },
        { "POST", "/api/v1/groups", """{"id":"g","owner":"ann","members":"bob"}""", "members" },
        { "POST", "/api/v1/groups", """{"id":"g{1}","owner":"ann"}""", "id" },
        { "POST", "/api/v1/groups", """{"id":"g1","owner":"ann","members":["bob","c d"]}""", "members[1]" },
        { "PUT", "/api/v1/groups/g1/members/bob/role", """{"role":"owner"}""", "role" },
        { "GET", "/api/v1/groups/g1/members?limit=0", null, "limit" },
        { "GET", "/api/v1/groups/g1?as=a%20b", null, "as" },
        { "GET", "/api/v1/users/bad%7Bid/sessions", null, "user" },
        { "PUT", "/api/v1/users/ann/ban", """{"reason":" "}""", "reason" },
        { "PUT", "/api/v1/users/ann/ban", $$"""{"reason":"{{new string('r', 201)}}"}""", "reason" },
        { "POST", "/api/v1/users/ann/kick", """{"device":"x y"}""", "device" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Is400_NamingTheFieldAndWhy(string method, string path, string? json, string field)
    {
        using var admin = new AdminClient(cluster.Edge);

        var reply = await admin.SendAsync(new HttpMethod(method), path, json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{reply.Status}: {reply.Text}");
        Assert.Equal("invalid_request", reply.Str("error"));
        Assert.Equal(field, reply.Str("field"));
        Assert.False(string.IsNullOrWhiteSpace(reply.Str("message")));
    }

    [Fact]
    public async Task AGroupThatDoesNotExist_Is404_InTheGrainsWords()
    {
        using var admin = new AdminClient(cluster.Edge);

        var reply = await admin.GetAsync($"/api/v1/groups/{Clients.NewUser("nogroup")}");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("no_such_group", reply.Str("error"));
        Assert.False(reply.Json.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task ATakenGroupId_Is409_AndAUserWithoutTheRight_Is403()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (group, ann, bob) = (Clients.NewUser("g"), Clients.NewUser("ann"), Clients.NewUser("bob"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/groups", new { id = group, owner = ann, members = new[] { bob } })).Status);

        var taken = await admin.PostAsync("/api/v1/groups", new { id = group, owner = bob });
        var notOwner = await admin.PutAsync($"/api/v1/groups/{group}/members/{bob}/role?as={bob}", new { role = "admin" });

        Assert.Equal((HttpStatusCode.Conflict, "group_exists"), (taken.Status, taken.Str("error")));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (notOwner.Status, notOwner.Str("error")));
    }

    [Theory]
    [InlineData(ErrorCodes.Unavailable, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(ErrorCodes.Banned, StatusCodes.Status403Forbidden)]
    [InlineData(ErrorCodes.Blocked, StatusCodes.Status403Forbidden)]
    [InlineData(ErrorCodes.BlockLimit, StatusCodes.Status409Conflict)]
    [InlineData(ErrorCodes.WatchLimit, StatusCodes.Status409Conflict)]
    [InlineData(ErrorCodes.UnreadLimit, StatusCodes.Status409Conflict)]
    [InlineData(ErrorCodes.RateLimited, StatusCodes.Status429TooManyRequests)]
    [InlineData(ErrorCodes.NotFound, StatusCodes.Status404NotFound)]
    [InlineData(ErrorCodes.GroupFull, StatusCodes.Status409Conflict)]
    [InlineData(ErrorCodes.InvalidRequest, StatusCodes.Status400BadRequest)]
    [InlineData(ErrorCodes.Internal, StatusCodes.Status500InternalServerError)]
    public void EachWireCode_HasItsHttpStatus(int code, int status)
    {
        Assert.Equal(status, ApiError.StatusOf(code));
    }

    [Fact]
    public async Task TheStoreAway_Is503_AndRetryable()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();

        await ApiError.From(new ClientError(ErrorCodes.Unavailable, "message store unavailable", true)).ExecuteAsync(http);

        Assert.Equal(503, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var body = System.Text.Json.JsonDocument.Parse(http.Response.Body).RootElement;
        Assert.Equal("unavailable", body.GetProperty("error").GetString());
        Assert.True(body.GetProperty("retryable").GetBoolean());
    }
}
