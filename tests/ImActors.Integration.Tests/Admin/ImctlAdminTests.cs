using System.Text.Json;
using ImActors.Client;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Admin;

/// <summary><c>imctl kick|ban|unban</c> against a running admin API: one JSON line on success, one error line and exit 1 otherwise.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ImctlAdminTests(ClusterFixture cluster)
{
    private string Api => cluster.Edge.Admin.ToString();

    [Fact]
    public async Task Kick_ClosesTheDevice_WithTheReasonGiven()
    {
        var ann = Clients.NewUser("ann");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, ann, device: "phone");

        var run = await Imctl.RunAsync("kick", ann, "--device", "phone", "--reason", "support session ended", "--api-key", ClusterFixture.ApiKey, "--api", Api);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("kick", JsonDocument.Parse(run.Stdout).RootElement.GetProperty("done").GetString());
        var closed = await Assert.ThrowsAsync<ImClientException>(() => phone.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((ErrorCodes.Kicked, "support session ended"), (closed.Code, closed.Reason));
    }

    [Fact]
    public async Task Revoke_ClosesTheDeviceWith414_AndPrintsTheValidAfterTime()
    {
        var ann = Clients.NewUser("ann");
        await using var phone = await RawConnection.OpenTcpAsync(cluster.Edge);
        await phone.HelloAsync(ann, "phone");

        var run = await Imctl.RunAsync("revoke", ann, "--device", "phone", "--api-key", ClusterFixture.ApiKey, "--api", Api);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(JsonDocument.Parse(run.Stdout).RootElement.TryGetProperty("validAfter", out _), run.Stdout);
        Assert.Equal(ErrorCodes.TokenRevoked, (await phone.ClosedWithAsync()).Code);
    }

    [Fact]
    public async Task BanThenUnban_KeepTheUserOut_ThenLetThemIn()
    {
        var ann = Clients.NewUser("ann");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, ann, device: "phone");

        var ban = await Imctl.RunAsync("ban", ann, "--reason", "fraud", "--api-key", ClusterFixture.ApiKey, "--api", Api);

        Assert.True(ban.ExitCode == 0, ban.Stderr);
        Assert.True(JsonDocument.Parse(ban.Stdout).RootElement.GetProperty("banned").GetBoolean());
        Assert.Equal(ErrorCodes.Banned, (await Assert.ThrowsAsync<ImClientException>(() => phone.Completion.WaitAsync(TimeSpan.FromSeconds(5)))).Code);
        Assert.Equal("fraud", (await cluster.Grains.GetGrain<IUserGrain>(ann).GetBan())?.Reason);

        var unban = await Imctl.RunAsync("unban", ann, "--api-key", ClusterFixture.ApiKey, "--api", Api);

        Assert.True(unban.ExitCode == 0, unban.Stderr);
        Assert.True(JsonDocument.Parse(unban.Stdout).RootElement.GetProperty("lifted").GetBoolean());
        await using var back = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
    }

    [Fact]
    public async Task Notify_SendsAsTheSystem_AndConversationsListsTheSystemConversation()
    {
        var bob = Clients.NewUser("bob");
        await using var phone = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);

        var run = await Imctl.RunAsync("notify", bob, "your order shipped", "--cmid", "order-9", "--api-key", ClusterFixture.ApiKey, "--api", Api);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var sent = JsonDocument.Parse(run.Stdout).RootElement;
        var message = Assert.Single(await phone.ReceiveAsync(1));
        Assert.Equal(("", "your order shipped", sent.GetProperty("id").GetString()), (message.From, message.Text, message.Id));

        var list = await Imctl.RunAsync("conversations", "--as", bob, "--server", cluster.Edge.Tcp.ToString());

        Assert.True(list.ExitCode == 0, list.Stderr);
        var system = JsonDocument.Parse(Assert.Single(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal(("system", "", 1L), (system.GetProperty("type").GetString(), system.GetProperty("id").GetString(), system.GetProperty("unread").GetInt64()));
    }

    [Fact]
    public async Task AWrongKey_ExitsNonZero_WithOneLine()
    {
        var run = await Imctl.RunAsync("unban", Clients.NewUser("ann"), "--api-key", "wrong", "--api", Api);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("imctl: 401 unauthorized:", line);
    }

    [Fact]
    public async Task BadInput_AndNoApi_ExitNonZero_WithOneLine()
    {
        var badUser = await Imctl.RunAsync("ban", "a b", "--reason", "x", "--api-key", ClusterFixture.ApiKey, "--api", Api);
        var noApi = await Imctl.RunAsync("unban", "ann", "--api-key", "k", "--api", $"http://127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(1, badUser.ExitCode);
        Assert.Equal("imctl: 400 invalid_request: user must be 1-64 characters of letters, digits and . _ - @ : (user)", badUser.Stderr.Trim());
        Assert.Equal(1, noApi.ExitCode);
        Assert.Single(noApi.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("imctl: ", noApi.Stderr);
    }
}
