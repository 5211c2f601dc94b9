using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Groups;

/// <summary>Edges subscribe to groups for their local members (decision 81): what a login costs, and what survives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupSubscriptionTests(ClusterFixture cluster)
{
    [Fact]
    public async Task SecondMemberOfManyGroups_LoggingInOnTheSameEdge_MakesNoGroupCall_AndBothGetLivePushes()
    {
        const int groupCount = 200;
        var (owner, first, second) = (Clients.NewUser("owner"), Clients.NewUser("first"), Clients.NewUser("second"));
        var groups = Enumerable.Range(0, groupCount).Select(i => Clients.NewUser($"g{i}")).ToList();
        await Task.WhenAll(groups.Select(g => cluster.Grains.GetGrain<IGroupGrain>(g).Create(Actor.OfUser(owner), [first, second], open: false)));
        // Each group's creation event is seq 1: cursors there, so that nothing below arrives by catching up.
        var cursors = groups.ToDictionary(g => g, _ => 1L);

        var subscribes = cluster.Edge.Groups.SubscribeCalls;
        await using var firstClient = await Clients.ConnectAsync(cluster.Edge.Tcp, first, resumeAfter: 0, resumeGroups: cursors);
        Assert.Equal(groupCount, cluster.Edge.Groups.SubscribeCalls - subscribes);

        await using var secondClient = await Clients.ConnectAsync(cluster.Edge.Tcp, second, resumeAfter: 0, resumeGroups: cursors);
        Assert.Equal(groupCount, cluster.Edge.Groups.SubscribeCalls - subscribes);

        var (pushes, frames) = (cluster.Edge.Stats.GroupPushes, cluster.Edge.Stats.FramesQueued);
        var sentTo = groups.Where((_, i) => i % 20 == 0).ToList();
        foreach (var group in sentTo)
        {
            await cluster.Grains.GetGrain<IGroupGrain>(group).Send(
                new GroupSendRequest(Actor.System, null, "notice", "text/plain", "hello"u8.ToArray()));
        }

        foreach (var client in new[] { firstClient, secondClient })
        {
            foreach (var group in sentTo)
            {
                Assert.Equal("hello", Assert.Single(await client.ReceiveGroupUntilAsync(group, 2)).Text);
            }
        }

        // One push per message to the edge, written to both members: live, not fetched by a sync.
        Assert.Equal(sentTo.Count, cluster.Edge.Stats.GroupPushes - pushes);
        Assert.Equal(2 * sentTo.Count, cluster.Edge.Stats.FramesQueued - frames);
    }

    [Fact]
    public async Task LastMemberLeavingAnEdge_Unsubscribes_AndTheNextMemberThereSubscribesAgain()
    {
        var group = Clients.NewUser("team");
        var (owner, member) = (Clients.NewUser("owner"), Clients.NewUser("member"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, [member]);

        await (await Clients.ConnectAsync(cluster.EdgeB.Tcp, member)).DisposeAsync();
        await Eventually.TrueAsync(() => cluster.EdgeB.Groups.MembersOf(group) is null);
        var pushes = cluster.EdgeB.Stats.GroupPushes;
        await ownerClient.SendGroupTextAsync(group, "nobody on b");
        await ownerClient.SendGroupTextAsync(group, "still nobody on b");
        // At most the first push can still be on its way when the unsubscribe lands.
        Assert.True(cluster.EdgeB.Stats.GroupPushes - pushes <= 1);

        await using var back = await Clients.ConnectAsync(cluster.EdgeB.Tcp, member);
        var seq = (await ownerClient.SendGroupTextAsync(group, "b again")).Seq;
        Assert.Equal("b again", (await back.ReceiveGroupUntilAsync(group, seq))[^1].Text);
    }

    [Fact]
    public async Task AGroupThatReactivates_StillPushesToTheEdgesThatSubscribed()
    {
        var group = Clients.NewUser("team");
        var (owner, member) = (Clients.NewUser("owner"), Clients.NewUser("member"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, [member]);
        await using var memberClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, member);
        Assert.Equal([member], cluster.EdgeB.Groups.MembersOf(group)!);

        // Every activation idle for a second goes, the group's included; the edges are not told.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(1));

        var pushes = cluster.EdgeB.Stats.GroupPushes;
        var seq = (await ownerClient.SendGroupTextAsync(group, "after reactivation")).Seq;
        Assert.Equal("after reactivation", (await memberClient.ReceiveGroupUntilAsync(group, seq))[^1].Text);
        Assert.Equal(1, cluster.EdgeB.Stats.GroupPushes - pushes);
    }

    [Fact]
    public async Task AMemberAddedWhileConnected_GetsTheAddEventAndLaterMessages_OnAnEdgeWithNoOtherMember()
    {
        var group = Clients.NewUser("team");
        var (owner, newcomer) = (Clients.NewUser("owner"), Clients.NewUser("newcomer"));
        await using var ownerClient = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await ownerClient.CreateGroupAsync(group, []);
        await using var newcomerClient = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, newcomer);
        Assert.Null(cluster.EdgeB.Groups.MembersOf(group)!);

        var added = await ownerClient.AddMembersAsync(group, [newcomer]);
        var seq = (await ownerClient.SendGroupTextAsync(group, "welcome")).Seq;
        var got = await newcomerClient.ReceiveGroupUntilAsync(group, seq);
        Assert.Equal([added.Seq, seq], got.Select(m => m.Seq));
        Assert.Equal([newcomer], cluster.EdgeB.Groups.MembersOf(group)!);
    }
}
