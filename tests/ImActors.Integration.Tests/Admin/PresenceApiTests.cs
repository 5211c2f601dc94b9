using System.Net;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Admin;

/// <summary>Presence over the admin API: many users in one call, and a group's online members.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PresenceApiTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ABatch_AnswersEveryUserInOrder_OnlineOrNot()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (online, offline, never) = (Clients.NewUser("online"), Clients.NewUser("offline"), Clients.NewUser("never"));
        await using var onlineClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, online, device: "phone");
        await (await Clients.ConnectAsync(cluster.Edge.Tcp, offline)).DisposeAsync();
        var directory = cluster.Grains.GetGrain<IPresenceDirectory>(IPresenceDirectory.Key);
        await Eventually.TrueAsync(async () => (await directory.GetPresence([offline]))[0] is { Online: false });

        var reply = await admin.GetAsync($"/api/v1/presence?users={never},{online},{offline}");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        var users = reply.Json.EnumerateArray().ToList();
        Assert.Equal([never, online, offline], users.Select(u => u.GetProperty("user").GetString()));
        Assert.Equal([false, true, false], users.Select(u => u.GetProperty("online").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, users[0].GetProperty("lastSeen").ValueKind);
        var device = Assert.Single(users[1].GetProperty("devices").EnumerateArray());
        Assert.Equal("phone", device.GetProperty("device").GetString());
        Assert.True(users[2].GetProperty("lastSeen").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        Assert.Empty(users[2].GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task ABatchTooLongForAQueryString_GoesInABody()
    {
        using var admin = new AdminClient(cluster.Edge);
        var online = Clients.NewUser("online");
        await using var onlineClient = await Clients.ConnectAsync(cluster.Edge.Tcp, online);
        // 1,000 ids of 64 characters: about 65 KB, far past the 8 KiB request line.
        var users = Enumerable.Range(0, IPresenceDirectory.MaxUsers - 1).Select(i => $"{i:D4}".PadRight(64, 'x')).Prepend(online).ToArray();

        var reply = await admin.PostAsync("/api/v1/presence", new { users });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        Assert.Equal(IPresenceDirectory.MaxUsers, reply.Json.GetArrayLength());
        Assert.True(reply.Json[0].GetProperty("online").GetBoolean());
        Assert.False(reply.Json[1].GetProperty("online").GetBoolean());
    }

    public static TheoryData<string, string?, string> BadInputs => new()
    {
        { "/api/v1/presence", null, "users" },
        { "/api/v1/presence?users=", null, "users" },
        { "/api/v1/presence?users=ann,b%7Bo%7Db", null, "users[1]" },
        { "/api/v1/presence?users=ann,,bob", null, "users[1]" },
        { "/api/v1/presence?users=" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"u{i}")), null, "users" },
        { "/api/v1/presence", "{\"users\":[" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"u{i}\"")) + "]}", "users" },
        { "/api/v1/presence", """{"users":["ann","a b"]}""", "users[1]" },
        { "/api/v1/presence", """{"users":"ann"}""", "users" },
        { "/api/v1/groups/g%7B1%7D/online", null, "id" },
        { "/api/v1/groups/g1/online?limit=1001", null, "limit" },
        { "/api/v1/groups/g1/online?after=a%20b", null, "after" },
        { "/api/v1/groups/g1/online?as=a%20b", null, "as" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Is400_NamingTheField(string path, string? json, string field)
    {
        using var admin = new AdminClient(cluster.Edge);

        var reply = json is null ? await admin.GetAsync(path) : await admin.PostRawAsync(path, json);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{reply.Status}: {reply.Text}");
        Assert.Equal(("invalid_request", field), (reply.Str("error"), reply.Str("field")));
    }

    [Fact]
    public async Task AGroupsOnlineMembers_AreCountedAndPaged_AsTheSystemOrAsAMember()
    {
        using var admin = new AdminClient(cluster.Edge);
        var group = Clients.NewUser("team");
        var members = Enumerable.Range(0, 4).Select(i => Clients.NewUser($"m{i}")).Order(StringComparer.Ordinal).ToArray();
        var (owner, outsider) = (Clients.NewUser("owner"), Clients.NewUser("outsider"));
        await cluster.Grains.GetGrain<IGroupGrain>(group).Create(Actor.OfUser(owner), members, open: false);
        await using var c0 = await Clients.ConnectAsync(cluster.Edge.Tcp, members[0]);
        await using var c1 = await Clients.ConnectAsync(cluster.EdgeB.Tcp, members[1]);
        await using var c2 = await Clients.ConnectAsync(cluster.EdgeB.Tcp, members[2]);

        var first = await admin.GetAsync($"/api/v1/groups/{group}/online?limit=2");
        var rest = await admin.GetAsync($"/api/v1/groups/{group}/online?limit=2&after={first.Str("next")}");
        var asMember = await admin.GetAsync($"/api/v1/groups/{group}/online?as={members[3]}");
        var asOutsider = await admin.GetAsync($"/api/v1/groups/{group}/online?as={outsider}");
        var noGroup = await admin.GetAsync($"/api/v1/groups/{Clients.NewUser("nogroup")}/online");

        Assert.True(first.Status == HttpStatusCode.OK, first.Text);
        Assert.Equal(3, first.Json.GetProperty("count").GetInt32());
        Assert.Equal(members[..2], first.Json.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(members[1], first.Str("next"));
        Assert.Equal([members[2]], rest.Json.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Null(rest.Str("next"));
        Assert.Equal(3, asMember.Json.GetProperty("count").GetInt32());
        Assert.Equal((HttpStatusCode.Forbidden, "not_member"), (asOutsider.Status, asOutsider.Str("error")));
        Assert.Equal((HttpStatusCode.NotFound, "no_such_group"), (noGroup.Status, noGroup.Str("error")));
    }

    [Fact]
    public async Task WithoutAKey_PresenceIs401()
    {
        using var admin = new AdminClient(cluster.Edge, apiKey: null);

        var batch = await admin.GetAsync($"/api/v1/presence?users={Clients.NewUser("u")}");
        var online = await admin.GetAsync($"/api/v1/groups/{Clients.NewUser("g")}/online");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (batch.Status, online.Status));
    }
}
