using System.Net;
using System.Text;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Admin;

/// <summary>Each operation of the admin API once, end to end: real HTTP in, real grains, real sockets out.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdminOperationsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AnHttpSend_ReachesTheRecipientsConnectedClient_AndARetryIsTheSameMessage()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);

        var sent = await admin.PostAsync("/api/v1/messages", new { from = ann, to = bob, cmid = "order-1", text = "your order shipped" });
        var retried = await admin.PostAsync("/api/v1/messages", new { from = ann, to = bob, cmid = "order-1", text = "your order shipped" });

        Assert.True(sent.Status == HttpStatusCode.OK, sent.Text);
        var message = Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.Equal((ann, "your order shipped"), (message.From, message.Text));
        Assert.Equal(sent.Json.GetProperty("peerSeq").GetInt64(), message.Seq);
        Assert.Equal(sent.Str("id"), retried.Str("id"));
        Assert.True(retried.Json.GetProperty("duplicate").GetBoolean());
        Assert.True(await bobClient.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task AGroupCreatedOverHttp_CarriesASystemMessage_ToItsConnectedMembers()
    {
        using var admin = new AdminClient(cluster.Edge);
        var (group, ann, bob, cat) = (Clients.NewUser("team"), Clients.NewUser("ann"), Clients.NewUser("bob"), Clients.NewUser("cat"));
        await using var bobClient = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);

        var created = await admin.PostAsync("/api/v1/groups", new { id = group, owner = ann, members = new[] { bob } });
        var added = await admin.PostAsync($"/api/v1/groups/{group}/members", new { members = new[] { cat } });
        var role = await admin.PutAsync($"/api/v1/groups/{group}/members/{bob}/role?as={ann}", new { role = "admin" });
        var muted = await admin.PutAsync($"/api/v1/groups/{group}/members/{cat}/mute", new { muted = true });
        var sent = await admin.PostAsync("/api/v1/messages", new { group, cmid = "notice-1", text = "maintenance at noon" });

        Assert.True(created.Status == HttpStatusCode.OK, created.Text);
        Assert.Equal((ann, 2), (created.Str("owner"), created.Json.GetProperty("memberCount").GetInt32()));
        Assert.Equal(1, added.Json.GetProperty("changed").GetInt32());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (role.Status, muted.Status));
        var notice = (await bobClient.ReceiveGroupUntilAsync(group, sent.Json.GetProperty("seq").GetInt64()))[^1];
        Assert.Equal(("", "maintenance at noon"), (notice.From, notice.Text));

        var members = await admin.GetAsync($"/api/v1/groups/{group}/members");
        var roles = members.Json.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("user").GetString()!, m => (m.GetProperty("role").GetString(), m.GetProperty("muted").GetBoolean()));
        Assert.Equal(("owner", false), roles[ann]);
        Assert.Equal(("admin", false), roles[bob]);
        Assert.Equal(("member", true), roles[cat]);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/groups/{group}/members/{cat}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/v1/groups/{group}/owner", new { owner = bob })).Status);
        Assert.Equal(bob, (await admin.GetAsync($"/api/v1/groups/{group}")).Str("owner"));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/groups/{group}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/groups/{group}")).Status);
    }

    [Fact]
    public async Task Sessions_ListTheDevicesOnline_AndAKick_ClosesOneWithItsReason()
    {
        using var admin = new AdminClient(cluster.Edge);
        var ann = Clients.NewUser("ann");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, ann, device: "phone");
        await using var laptop = await Clients.ConnectAsync(cluster.EdgeB.Tcp, ann, device: "laptop");

        var sessions = await admin.GetAsync($"/api/v1/users/{ann}/sessions");
        var kicked = await admin.PostAsync($"/api/v1/users/{ann}/kick", new { device = "phone", reason = "password changed" });

        Assert.Equal(["laptop", "phone"], sessions.Json.EnumerateArray().Select(s => s.GetProperty("device").GetString()).Order());
        Assert.Equal(HttpStatusCode.NoContent, kicked.Status);
        var closed = await Assert.ThrowsAsync<ImClientException>(() => phone.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((ErrorCodes.Kicked, "password changed"), (closed.Code, closed.Reason));
        Assert.False(laptop.Completion.IsCompleted);
        await Eventually.TrueAsync(async () =>
            (await admin.GetAsync($"/api/v1/users/{ann}/sessions")).Json.EnumerateArray().Select(s => s.GetProperty("device").GetString()).SequenceEqual(["laptop"]));
    }

    [Fact]
    public async Task AKickOfEveryDevice_ClosesThemAll()
    {
        using var admin = new AdminClient(cluster.Edge);
        var ann = Clients.NewUser("ann");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, ann, device: "phone");
        await using var laptop = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, ann, device: "laptop");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{ann}/kick", new { })).Status);

        foreach (var client in new[] { phone, laptop })
        {
            var closed = await Assert.ThrowsAsync<ImClientException>(() => client.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(ErrorCodes.Kicked, closed.Code);
        }
    }
}
