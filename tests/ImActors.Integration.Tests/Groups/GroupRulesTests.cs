using System.Text;
using System.Text.Json;
using ImActors.Client;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Groups;

/// <summary>Roles, mutes and recalls: who may do what in a group.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupRulesTests(ClusterFixture cluster)
{
    private static async Task<int> RefusalOf(Func<Task> action) => (await Assert.ThrowsAsync<ImClientException>(action)).Code;

    [Fact]
    public async Task Roles_AreEnforced_FromAddingMembersToTransferringOwnership()
    {
        var group = Clients.NewUser("team");
        var (owner, admin, member, newcomer) = (Clients.NewUser("owner"), Clients.NewUser("admin"), Clients.NewUser("member"), Clients.NewUser("new"));
        await using var o = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, admin);
        await using var m = await Clients.ConnectAsync(cluster.EdgeB.Tcp, member);
        Assert.Equal(1, (await o.CreateGroupAsync(group, [admin, member])).Seq);
        await using var outsider = await Clients.ConnectAsync(cluster.Edge.Tcp, Clients.NewUser("outsider"));

        Assert.Equal(ErrorCodes.NotMember, await RefusalOf(() => outsider.AddMembersAsync(group, [newcomer])));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => m.AddMembersAsync(group, [newcomer])));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => a.SetRoleAsync(group, member, "admin")));
        Assert.True((await o.SetRoleAsync(group, admin, "admin")).Seq > 0);
        Assert.Equal(1, (await a.AddMembersAsync(group, [newcomer])).Changed);
        Assert.Equal(0, (await a.AddMembersAsync(group, [newcomer])).Changed);
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => a.RemoveMembersAsync(group, [owner])));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => o.LeaveGroupAsync(group)));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => a.TransferOwnershipAsync(group, member)));

        await o.TransferOwnershipAsync(group, member);
        var (roles, next) = await m.GetMembersAsync(group);
        Assert.Null(next);
        Assert.Equal(
            new[] { (admin, "admin"), (member, "owner"), (newcomer, "member"), (owner, "admin") }.OrderBy(r => r.Item1, StringComparer.Ordinal),
            roles.Select(r => (r.User, r.Role)));
        // The old owner is an admin now: an admin may not remove another admin; the new owner may.
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => o.RemoveMembersAsync(group, [admin])));
        Assert.Equal(1, (await m.RemoveMembersAsync(group, [admin])).Changed);
        Assert.Equal(1, (await o.LeaveGroupAsync(group)).Changed);

        var info = await m.GetGroupInfoAsync(group);
        Assert.Equal((member, 2), (info.Owner, info.MemberCount));
        Assert.Equal(ErrorCodes.NotMember, await RefusalOf(() => o.GetGroupInfoAsync(group)));

        // Every change is a timeline event with its own seq.
        var timeline = await cluster.Grains.GetGrain<IGroupGrain>(group).Read(member, 0, 100, 1 << 20);
        var types = timeline.Messages.Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("type").GetString());
        Assert.Equal(["created", "role", "added", "owner", "removed", "left"], types);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), timeline.Messages.Select(e => e.Seq));

        Assert.Equal(1, (await m.DissolveGroupAsync(group)).Seq > 0 ? 1 : 0);
        Assert.Equal(ErrorCodes.NoSuchGroup, await RefusalOf(() => m.SendGroupTextAsync(group, "anyone?")));
    }

    [Fact]
    public async Task MutedMember_CannotSend_UntilUnmuted()
    {
        var group = Clients.NewUser("team");
        var (owner, admin, talker) = (Clients.NewUser("owner"), Clients.NewUser("admin"), Clients.NewUser("talker"));
        await using var o = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, admin);
        await using var t = await Clients.ConnectAsync(cluster.EdgeB.Tcp, talker);
        await o.CreateGroupAsync(group, [admin, talker]);
        await o.SetRoleAsync(group, admin, "admin");

        var before = await t.SendGroupTextAsync(group, "before the mute", clientMessageId: "cm-1");
        await a.MuteAsync(group, talker, true);
        Assert.Equal(ErrorCodes.Muted, await RefusalOf(() => t.SendGroupTextAsync(group, "shh")));
        // A retry of a send stored before the mute still gets its first ACK, not a refusal.
        var retry = await t.SendGroupTextAsync(group, "before the mute", clientMessageId: "cm-1");
        Assert.Equal((before.MessageId, before.Seq, true), (retry.MessageId, retry.Seq, retry.Duplicate));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => a.MuteAsync(group, owner, true)));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => t.MuteAsync(group, admin, true)));

        await a.MuteAsync(group, talker, false);
        Assert.True((await t.SendGroupTextAsync(group, "back")).Seq > 0);
    }

    [Fact]
    public async Task GroupRecall_TombstonesTheMessage_TellsOnlineMembers_AndKeepsToTheRules()
    {
        var group = Clients.NewUser("team");
        var (owner, bob, carol) = (Clients.NewUser("owner"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await using var o = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var b = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);
        await using var c = await Clients.ConnectAsync(cluster.EdgeB.Tcp, carol);
        await o.CreateGroupAsync(group, [bob, carol]);
        var oops = await b.SendGroupTextAsync(group, "oops");
        var other = await c.SendGroupTextAsync(group, "carol's");
        await c.ReceiveGroupUntilAsync(group, oops.Seq);

        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => c.RecallAsync(ConversationRef.InGroup(group), oops.Seq)));
        var recallSeq = await b.RecallAsync(ConversationRef.InGroup(group), oops.Seq);
        var notice = (await c.ReceiveGroupUntilAsync(group, recallSeq))[^1];
        Assert.Equal(SystemContentTypes.Recall, notice.ContentType);
        Assert.Equal(oops.Seq, JsonDocument.Parse(notice.Body).RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(ErrorCodes.NotFound, await RefusalOf(() => b.RecallAsync(ConversationRef.InGroup(group), oops.Seq)));

        // An owner (or admin) may recall anyone's message; the timeline keeps the seq with a tombstone.
        await o.RecallAsync(ConversationRef.InGroup(group), other.Seq);
        var timeline = await cluster.Grains.GetGrain<IGroupGrain>(group).Read(owner, 0, 100, 1 << 20);
        Assert.Equal(SystemContentTypes.Tombstone, timeline.Messages.Single(m => m.Seq == oops.Seq).ContentType);
        Assert.Empty(timeline.Messages.Single(m => m.Seq == oops.Seq).Body);
        Assert.Equal(SystemContentTypes.Tombstone, timeline.Messages.Single(m => m.Seq == other.Seq).ContentType);
        Assert.Equal(Enumerable.Range(1, timeline.Messages.Count).Select(i => (long)i), timeline.Messages.Select(m => m.Seq));

        var late = await b.SendGroupTextAsync(group, "too late to take back");
        await Task.Delay(ClusterFixture.RecallWindow + TimeSpan.FromMilliseconds(500));
        Assert.Equal(ErrorCodes.RecallWindowPassed, await RefusalOf(() => b.RecallAsync(ConversationRef.InGroup(group), late.Seq)));
    }

    [Fact]
    public async Task DirectRecall_TombstonesBothCopies_AndTellsThePeer()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var a = await Clients.ConnectAsync(cluster.Edge.Tcp, alice);
        await using var b = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob);
        await b.SendTextAsync(alice, "hi");
        var sent = await a.SendTextAsync(bob, "wrong chat");
        var bobCopy = (await b.ReceiveAsync(1)).Single();

        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(() => b.RecallAsync(ConversationRef.With(alice), bobCopy.Seq)));
        Assert.Equal(ErrorCodes.NotFound, await RefusalOf(() => a.RecallAsync(ConversationRef.With(Clients.NewUser("x")), sent.Seq)));
        await a.RecallAsync(ConversationRef.With(bob), sent.Seq);

        var notice = (await b.ReceiveAsync(1)).Single();
        Assert.Equal(SystemContentTypes.Recall, notice.ContentType);
        Assert.Equal(bobCopy.Seq, JsonDocument.Parse(notice.Body).RootElement.GetProperty("seq").GetInt64());
        var bobInbox = await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(bob).Sync(0, 100, 1 << 20);
        Assert.Equal(SystemContentTypes.Tombstone, bobInbox.Messages.Single(m => m.Seq == bobCopy.Seq).ContentType);
        var aliceInbox = await cluster.Grains.GetGrain<Grains.Interfaces.Users.IUserGrain>(alice).Sync(0, 100, 1 << 20);
        Assert.Equal(SystemContentTypes.Tombstone, aliceInbox.Messages.Single(m => m.Seq == sent.Seq).ContentType);
        Assert.Equal("hi", Encoding.UTF8.GetString(aliceInbox.Messages.Single(m => m.Seq == 1).Body));
    }
}
