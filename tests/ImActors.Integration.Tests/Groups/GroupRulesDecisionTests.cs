using ImActors.Grains.Conversations;
using ImActors.Grains.Groups;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Integration.Tests.Groups;

/// <summary>
/// The group's rules alone, no cluster: each command in, a refusal or the changes and event out. The end-to-end
/// rights tests (GroupRulesTests) show the grain carries these out; these cover the cases one by one.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class GroupRulesDecisionTests
{
    private static readonly Actor System = Actor.System;
    private readonly GroupRules _rules = new("team", new ConversationOptions { MaxGroupMembers = 5, MaxMembersPerChange = 3 });

    [Fact]
    public void Create_ByAUser_MakesThemOwner_AndAddsTheOthersOnce()
    {
        var decision = _rules.Create(Empty(), U("ann"), ["bob", "bob", "ann", "cat"], open: true, now: 1000);

        Assert.Null(decision.Refusal);
        Assert.Equal(GroupEvents.Created, decision.EventType);
        Assert.Equal(["bob", "cat"], decision.EventMembers);
        Assert.Equal([('a', "ann", GroupRole.Owner), ('a', "bob", GroupRole.Member), ('a', "cat", GroupRole.Member)],
            decision.Changes.Select(c => (c.Op, c.User, c.Record.Role)));
        Assert.Contains(("owner", "ann"), decision.Meta);
        Assert.Contains(("open", "1"), decision.Meta);
    }

    [Fact]
    public void Create_RetriedByTheOwner_ChangesNothing_ButByAnyoneElse_IsRefused()
    {
        var group = Group(("ann", GroupRole.Owner));

        Assert.True(_rules.Create(group, U("ann"), [], open: false, now: 1).ChangesNothing);
        AssertRefused(Refusal.GroupExists, _rules.Create(group, U("bob"), [], open: false, now: 1));
        AssertRefused(Refusal.InvalidRequest, _rules.Create(Empty(), System, ["bob"], open: false, now: 1));
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(5, Refusal.GroupFull)]
    public void Create_CountsTheOwnerAgainstTheMemberLimit(int others, Refusal? refusal)
    {
        var rules = new GroupRules("team", new ConversationOptions { MaxGroupMembers = 5, MaxMembersPerChange = 10 });

        var decision = rules.Create(Empty(), U("ann"), Enumerable.Range(0, others).Select(i => $"u{i}").ToList(), open: false, now: 1);

        Assert.Equal(refusal, decision.Refusal?.Reason);
    }

    [Fact]
    public void Create_WithMoreMembersThanOneChangeTakes_IsRefused()
    {
        AssertRefused(Refusal.InvalidRequest, _rules.Create(Empty(), U("ann"), ["u1", "u2", "u3", "u4"], open: false, now: 1));
    }

    [Fact]
    public void AddMembers_InAClosedGroup_IsForAdmins_AndInAnOpenOne_ForEveryMember()
    {
        var closed = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));
        var open = closed with { Open = true };

        AssertRefused(Refusal.Forbidden, _rules.AddMembers(closed, U("bob"), ["cat"]));
        AssertRefused(Refusal.NotMember, _rules.AddMembers(open, U("zed"), ["cat"]));
        Assert.Equal(["cat"], _rules.AddMembers(open, U("bob"), ["cat"]).EventMembers);
        Assert.Equal(["cat"], _rules.AddMembers(closed, System, ["cat"]).EventMembers);
    }

    [Fact]
    public void AddMembers_RepeatedForMembers_ChangesNothing_ButRepairsTheirListsOfGroups()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));

        var decision = _rules.AddMembers(group, U("ann"), ["bob", "cat"]);

        Assert.Equal(["cat"], decision.EventMembers);
        Assert.Equal(["bob"], decision.Repair);
        var repeated = _rules.AddMembers(group, U("ann"), ["bob"]);
        Assert.True(repeated.ChangesNothing);
        Assert.Equal(["bob"], repeated.Repair);
    }

    [Fact]
    public void AddMembers_PastTheLimit_IsRefused_AndStillRepairs()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member), ("cat", GroupRole.Member), ("dan", GroupRole.Member));

        var decision = _rules.AddMembers(group, U("ann"), ["bob", "eve", "fay"]);

        AssertRefused(Refusal.GroupFull, decision);
        Assert.Equal(["bob"], decision.Repair);
    }

    [Theory]
    [InlineData("")]
    [InlineData("an-id-of-sixty-five-characters-is-one-too-long-for-any-id-here-x1")]
    [InlineData("b{o}b")]
    [InlineData("bob smith")]
    public void AddMembers_WithAnIdAClientCouldNotUse_IsRefused(string id)
    {
        AssertRefused(Refusal.InvalidRequest, _rules.AddMembers(Group(("ann", GroupRole.Owner)), U("ann"), [id]));
        // Nor can a service act as such a user: the actor is refused as it is made.
        Assert.Equal(Refusal.InvalidRequest, Assert.Throws<RefusedException>(() => Actor.OfUser(id)).Reason);
    }

    [Fact]
    public void RemoveMembers_TheOwnerNever_AdminsOnlyByTheOwner_OthersByAdmins()
    {
        var group = Group(("ann", GroupRole.Owner), ("adi", GroupRole.Admin), ("ada", GroupRole.Admin), ("bob", GroupRole.Member));

        AssertRefused(Refusal.Forbidden, _rules.RemoveMembers(group, U("bob"), ["adi"]));
        AssertRefused(Refusal.Forbidden, _rules.RemoveMembers(group, U("adi"), ["ann"]));
        AssertRefused(Refusal.Forbidden, _rules.RemoveMembers(group, U("adi"), ["ada"]));
        Assert.Equal(["ada"], _rules.RemoveMembers(group, U("ann"), ["ada"]).EventMembers);
        Assert.Equal(["ada"], _rules.RemoveMembers(group, System, ["ada"]).EventMembers);
        var byAdmin = _rules.RemoveMembers(group, U("adi"), ["bob", "zed"]);
        Assert.Equal([('d', "bob")], byAdmin.Changes.Select(c => (c.Op, c.User)));
        Assert.True(_rules.RemoveMembers(group, U("adi"), ["zed"]).ChangesNothing);
    }

    [Fact]
    public void Leave_IsForMembersButNotTheOwner_AndJoin_ForOpenGroups()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));

        AssertRefused(Refusal.Forbidden, _rules.Leave(group, "ann"));
        AssertRefused(Refusal.NotMember, _rules.Leave(group, "zed"));
        Assert.Equal(GroupEvents.Left, _rules.Leave(group, "bob").EventType);
        AssertRefused(Refusal.Forbidden, _rules.Join(group, "cat"));
        Assert.Equal(GroupEvents.Joined, _rules.Join(group with { Open = true }, "cat").EventType);
        Assert.True(_rules.Join(group with { Open = true }, "bob").ChangesNothing);
    }

    [Fact]
    public void SetRole_IsTheOwners_AndNeverMovesOwnership()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));

        AssertRefused(Refusal.Forbidden, _rules.SetRole(group, U("bob"), "bob", GroupRole.Admin));
        AssertRefused(Refusal.InvalidRequest, _rules.SetRole(group, U("ann"), "bob", GroupRole.Owner));
        AssertRefused(Refusal.Forbidden, _rules.SetRole(group, U("ann"), "ann", GroupRole.Admin));
        Assert.True(_rules.SetRole(group, U("ann"), "bob", GroupRole.Member).ChangesNothing);
        var appoint = _rules.SetRole(group, U("ann"), "bob", GroupRole.Admin);
        Assert.Equal("admin", appoint.Role);
        Assert.Equal([('u', "bob", GroupRole.Admin)], appoint.Changes.Select(c => (c.Op, c.User, c.Record.Role)));
    }

    [Fact]
    public void TransferOwnership_MakesTheOldOwnerAnAdmin_AndUnmutesTheNewOne()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));
        group.Members["bob"] = group.Members["bob"] with { Muted = true };

        var decision = _rules.TransferOwnership(group, U("ann"), "bob");

        Assert.Equal([("bob", GroupRole.Owner, false), ("ann", GroupRole.Admin, false)],
            decision.Changes.Select(c => (c.User, c.Record.Role, c.Record.Muted)));
        Assert.Contains(("owner", "bob"), decision.Meta);
        AssertRefused(Refusal.Forbidden, _rules.TransferOwnership(group, U("bob"), "bob"));
        Assert.True(_rules.TransferOwnership(group, U("ann"), "ann").ChangesNothing);
    }

    [Fact]
    public void Mute_OwnersMuteAdminsAndMembers_AdminsMembers_NobodyTheOwner()
    {
        var group = Group(("ann", GroupRole.Owner), ("adi", GroupRole.Admin), ("bob", GroupRole.Member));

        AssertRefused(Refusal.Forbidden, _rules.Mute(group, U("adi"), "ann", true));
        AssertRefused(Refusal.Forbidden, _rules.Mute(group, U("adi"), "adi", true));
        AssertRefused(Refusal.Forbidden, _rules.Mute(group, U("bob"), "bob", true));
        Assert.Equal(GroupEvents.Muted, _rules.Mute(group, U("adi"), "bob", true).EventType);
        Assert.Equal(GroupEvents.Muted, _rules.Mute(group, U("ann"), "adi", true).EventType);
        Assert.True(_rules.Mute(group, U("ann"), "bob", false).ChangesNothing);
    }

    [Fact]
    public void Send_IsRefusedToNonMembersAndTheMuted_ButNeverToAService()
    {
        var group = Group(("ann", GroupRole.Owner), ("bob", GroupRole.Member));
        group.Members["bob"] = group.Members["bob"] with { Muted = true };

        Assert.Null(_rules.SendRefusal(group, U("ann"), "c1"));
        Assert.Equal(Refusal.Muted, _rules.SendRefusal(group, U("bob"), "c1")?.Reason);
        Assert.Equal(Refusal.NotMember, _rules.SendRefusal(group, U("zed"), "c1")?.Reason);
        Assert.Null(_rules.SendRefusal(group, System, "c1"));
        Assert.Equal(Refusal.InvalidRequest, _rules.SendRefusal(group, System, "c{1}")?.Reason);
    }

    [Fact]
    public void Recall_TheSenderWithinTheWindow_AdminsAnyMessage_AServiceAtAnyTime()
    {
        var group = Group(("ann", GroupRole.Owner), ("adi", GroupRole.Admin), ("bob", GroupRole.Member), ("cat", GroupRole.Member));
        var message = new StoredMessage("m1", 7, "bob", "team", Timestamp: 1_000, "text/plain", [], "team");
        var window = (long)new ConversationOptions().RecallWindow.TotalMilliseconds;

        _rules.RequireRecallRight(group, U("bob"), message, 1_000 + window);
        Assert.Equal(Refusal.RecallWindowPassed, Assert.Throws<RefusedException>(() => _rules.RequireRecallRight(group, U("bob"), message, 1_001 + window)).Reason);
        Assert.Equal(Refusal.Forbidden, Assert.Throws<RefusedException>(() => _rules.RequireRecallRight(group, U("cat"), message, 1_000)).Reason);
        _rules.RequireRecallRight(group, U("adi"), message, 1_000);
        _rules.RequireRecallRight(group, System, message, long.MaxValue);
        var recallEvent = message with { ContentType = SystemContentTypes.Recall };
        Assert.Equal(Refusal.NotFound, Assert.Throws<RefusedException>(() => _rules.RequireRecallRight(group, U("ann"), recallEvent, 1_000)).Reason);
    }

    [Fact]
    public void A_MembersHistory_StartsAtTheirJoin_AndAClosedGroupsInfo_IsForMembers()
    {
        var group = Group(("ann", GroupRole.Owner));
        group.Members["ann"] = group.Members["ann"] with { JoinedSeq = 12 };

        Assert.Equal(11, _rules.ReadFloor(group, "ann"));
        Assert.Equal(Refusal.NotMember, Assert.Throws<RefusedException>(() => _rules.ReadFloor(group, "zed")).Reason);
        Assert.Equal(Refusal.NotMember, Assert.Throws<RefusedException>(() => _rules.RequireInfoRight(group, U("zed"))).Reason);
        _rules.RequireInfoRight(group with { Open = true }, U("zed"));
        Assert.Equal(Refusal.NoSuchGroup, Assert.Throws<RefusedException>(() => _rules.EnsureLive(group with { Dissolved = true })).Reason);
    }

    private static void AssertRefused(Refusal expected, MembershipDecision decision)
    {
        Assert.Equal(expected, decision.Refusal?.Reason);
        Assert.False(decision.ChangesNothing);
        Assert.Empty(decision.Changes);
    }

    private static Actor U(string user) => Actor.OfUser(user);

    private static GroupSnapshot Empty() => new(false, "", false, false, [], [], []);

    private static GroupSnapshot Group(params (string User, GroupRole Role)[] members) =>
        new(true, members.First(m => m.Role == GroupRole.Owner).User, false, false,
            members.ToDictionary(m => m.User, m => new MemberRecord(m.Role, false, 1)), [], []);
}
