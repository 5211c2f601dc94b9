using System.Text;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Protocol;

/// <summary>
/// A business service calling grains directly is held to the ids the edge holds clients to: an id with a brace would
/// put a user's or a group's keys into another hash slot of the store, one with a space into log lines.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceIdRulesTests(ClusterFixture cluster)
{
    [Theory]
    [InlineData("a{b}")]
    [InlineData("ann smith")]
    public async Task A_UserGrain_WithAnIdNoClientCouldHave_RefusesEveryCall(string id)
    {
        var grain = cluster.Grains.GetGrain<IUserGrain>(id);

        Assert.Equal(Refusal.InvalidRequest, (await Assert.ThrowsAsync<RefusedException>(() => grain.GetInboxSeq())).Reason);
        Assert.Equal(Refusal.InvalidRequest, (await Assert.ThrowsAsync<RefusedException>(() =>
            grain.Send(new SendRequest("bob", "svc", "c1", id, "text/plain", Encoding.UTF8.GetBytes("x"))))).Reason);
    }

    [Fact]
    public async Task A_GroupGrain_WithAnIdNoClientCouldHave_RefusesEveryCall()
    {
        var grain = cluster.Grains.GetGrain<IGroupGrain>("team{1}");

        var refused = await Assert.ThrowsAsync<RefusedException>(() => grain.Create(Actor.OfUser(Clients.NewUser("owner")), [], open: false));

        Assert.Equal(Refusal.InvalidRequest, refused.Reason);
    }

    [Theory]
    [InlineData("b{o}b", "phone", "c1")]
    [InlineData("bob", "my phone", "c1")]
    [InlineData("bob", "phone", "c{1}")]
    public async Task A_SendFromAService_WithABadSenderDeviceOrCmid_IsRefused_AndStoresNothing(string from, string device, string cmid)
    {
        var to = Clients.NewUser("to");
        var grain = cluster.Grains.GetGrain<IUserGrain>(to);

        var refused = await Assert.ThrowsAsync<RefusedException>(() =>
            grain.Send(new SendRequest(from, device, cmid, to, "text/plain", Encoding.UTF8.GetBytes("x"))));

        Assert.Equal(Refusal.InvalidRequest, refused.Reason);
        Assert.Equal(0, await grain.GetInboxSeq());
    }

    [Fact]
    public async Task A_GroupSendFromAService_WithABadCmid_IsRefused()
    {
        var group = Clients.NewUser("team");
        var owner = Clients.NewUser("owner");
        var grain = cluster.Grains.GetGrain<IGroupGrain>(group);
        await grain.Create(Actor.OfUser(owner), [], open: false);

        var refused = await Assert.ThrowsAsync<RefusedException>(() =>
            grain.Send(new GroupSendRequest(Actor.System, null, "c 1", "text/plain", "x"u8.ToArray())));

        Assert.Equal(Refusal.InvalidRequest, refused.Reason);
    }

    [Fact]
    public async Task A_ReadMarkNamingNeitherOrBothConversations_IsRefused_ForAServiceAsForAClient()
    {
        var grain = cluster.Grains.GetGrain<IUserGrain>(Clients.NewUser("reader"));

        // default(ConversationRef) is the one a service can make without the checks: it names neither.
        Assert.Equal(Refusal.InvalidRequest, (await Assert.ThrowsAsync<RefusedException>(() => grain.MarkRead(default, 1, ""))).Reason);
        Assert.Equal(Refusal.InvalidRequest, Assert.Throws<RefusedException>(() => ConversationRef.Of("bob", "team")).Reason);
        Assert.Equal(Refusal.InvalidRequest, Assert.Throws<RefusedException>(() => ConversationRef.Of(null, "te am")).Reason);
        Assert.False(ConversationRef.TryOf(null, null, out _));
        Assert.True(ConversationRef.TryOf("bob", null, out var withBob) && withBob is { Peer: "bob", IsGroup: false });
    }
}
