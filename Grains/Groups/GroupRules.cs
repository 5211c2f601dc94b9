using ImActors.Grains.Conversations;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Grains.Groups;

/// <summary>
/// Who may do what in a group, and what each membership command changes. Pure: it reads the group as it is now and
/// decides; the grain stores, applies and pushes what it decided. <see cref="Actor.System"/> (a business
/// service) has every right of an owner, but cannot create a group, whose first owner must be a user.
/// About 300 lines on purpose: every right of every role is in this one file, so a rule can be checked against the
/// others without hunting for them.
/// </summary>
internal sealed class GroupRules(string groupId, ConversationOptions options)
{
    public MembershipDecision Create(GroupSnapshot group, Actor actor, IReadOnlyList<string> members, bool open, long now)
    {
        if (actor.UserId is not { } owner)
        {
            return Refuse(Refusal.InvalidRequest, "a group is created by a user, its first owner");
        }

        if (group.Exists)
        {
            // A retried create (same owner) succeeds without a second event; anyone else finds the id taken.
            return !group.Dissolved && group.Owner == owner
                ? MembershipDecision.Nothing()
                : Refuse(Refusal.GroupExists, $"group {groupId} already exists");
        }

        if (IdRefusal(members) is { } badIds)
        {
            return badIds;
        }

        var others = Distinct(members).Where(m => m != owner).ToList();
        if (BatchRefusal(others) is { } tooMany)
        {
            return tooMany;
        }

        if (others.Count + 1 > options.MaxGroupMembers)
        {
            return Refuse(Refusal.GroupFull, $"a group holds at most {options.MaxGroupMembers} members");
        }

        var changes = new List<MemberChange> { MemberChange.Add(owner, GroupRole.Owner) };
        changes.AddRange(others.Select(m => MemberChange.Add(m, GroupRole.Member)));
        return new MembershipDecision(GroupEvents.Created, others, changes,
            [("owner", owner), ("open", open ? "1" : "0"), ("created", now.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
    }

    public MembershipDecision AddMembers(GroupSnapshot group, Actor actor, IReadOnlyList<string> members)
    {
        if (RoleOf(group, actor) is not { } role)
        {
            return MembershipDecision.Refused(NotMember(actor));
        }

        return role < GroupRole.Admin && !group.Open
            ? Refuse(Refusal.Forbidden, "only the owner and admins add members")
            : Add(group, members, GroupEvents.Added);
    }

    public MembershipDecision Join(GroupSnapshot group, string user) =>
        group.Open ? Add(group, [user], GroupEvents.Joined) : Refuse(Refusal.Forbidden, "this group is not open: ask an admin to add you");

    public MembershipDecision RemoveMembers(GroupSnapshot group, Actor actor, IReadOnlyList<string> members)
    {
        if (RoleOf(group, actor) is not { } role)
        {
            return MembershipDecision.Refused(NotMember(actor));
        }

        if (role < GroupRole.Admin)
        {
            return Refuse(Refusal.Forbidden, "only the owner and admins remove members");
        }

        if (IdRefusal(members) is { } badIds)
        {
            return badIds;
        }

        var targets = Distinct(members).Where(group.Members.ContainsKey).ToList();
        if (BatchRefusal(targets) is { } tooMany)
        {
            return tooMany;
        }

        foreach (var target in targets)
        {
            var targetRole = group.Members[target].Role;
            if (targetRole == GroupRole.Owner)
            {
                return Refuse(Refusal.Forbidden, "the owner cannot be removed; transfer ownership first");
            }

            if (targetRole == GroupRole.Admin && role != GroupRole.Owner)
            {
                return Refuse(Refusal.Forbidden, "only the owner removes admins");
            }
        }

        return Remove(targets, GroupEvents.Removed);
    }

    public MembershipDecision Leave(GroupSnapshot group, string user) =>
        RoleOf(group, Actor.OfUser(user)) switch
        {
            null => MembershipDecision.Refused(NotMember(user)),
            GroupRole.Owner => Refuse(Refusal.Forbidden, "the owner cannot leave; transfer ownership or dissolve the group"),
            _ => Remove([user], GroupEvents.Left),
        };

    public MembershipDecision SetRole(GroupSnapshot group, Actor actor, string member, GroupRole role)
    {
        if (RoleOf(group, actor) != GroupRole.Owner)
        {
            return Refuse(Refusal.Forbidden, "only the owner appoints admins");
        }

        if (role == GroupRole.Owner)
        {
            return Refuse(Refusal.InvalidRequest, "ownership moves by transfer, not by role");
        }

        if (!group.Members.TryGetValue(member, out var record))
        {
            return MembershipDecision.Refused(NotMember(member));
        }

        if (record.Role == GroupRole.Owner)
        {
            return Refuse(Refusal.Forbidden, "the owner's role changes only by transfer");
        }

        return record.Role == role
            ? MembershipDecision.Nothing()
            : Update(GroupEvents.Role, [(member, record with { Role = role })], [], role.ToString().ToLowerInvariant());
    }

    public MembershipDecision TransferOwnership(GroupSnapshot group, Actor actor, string newOwner)
    {
        if (RoleOf(group, actor) != GroupRole.Owner)
        {
            return Refuse(Refusal.Forbidden, "only the owner transfers ownership");
        }

        if (!group.Members.TryGetValue(newOwner, out var record))
        {
            return MembershipDecision.Refused(NotMember(newOwner));
        }

        if (record.Role == GroupRole.Owner)
        {
            return MembershipDecision.Nothing();
        }

        var oldOwner = group.Owner;
        return Update(GroupEvents.Owner,
            [(newOwner, record with { Role = GroupRole.Owner, Muted = false }), (oldOwner, group.Members[oldOwner] with { Role = GroupRole.Admin })],
            [("owner", newOwner)], "owner");
    }

    public MembershipDecision Mute(GroupSnapshot group, Actor actor, string member, bool muted)
    {
        if (RoleOf(group, actor) is not { } role)
        {
            return MembershipDecision.Refused(NotMember(actor));
        }

        if (!group.Members.TryGetValue(member, out var record))
        {
            return MembershipDecision.Refused(NotMember(member));
        }

        if (role < GroupRole.Admin || record.Role == GroupRole.Owner || (record.Role == GroupRole.Admin && role != GroupRole.Owner))
        {
            return Refuse(Refusal.Forbidden, "owners mute admins and members; admins mute members");
        }

        return record.Muted == muted
            ? MembershipDecision.Nothing()
            : Update(muted ? GroupEvents.Muted : GroupEvents.Unmuted, [(member, record with { Muted = muted })], []);
    }

    /// <summary>The dissolve event and the group's mark; the members are deleted afterwards, in batches.</summary>
    public MembershipDecision Dissolve(GroupSnapshot group, Actor actor) =>
        RoleOf(group, actor) == GroupRole.Owner
            ? new MembershipDecision(GroupEvents.Dissolved, [], [], [("dissolved", "1")])
            : Refuse(Refusal.Forbidden, "only the owner dissolves the group");

    /// <summary>The group must exist and not be dissolved for anything but a create.</summary>
    public void EnsureLive(GroupSnapshot group)
    {
        if (!group.Exists || group.Dissolved)
        {
            throw new RefusedException(Refusal.NoSuchGroup, $"group {groupId} does not exist");
        }
    }

    /// <summary>The actor's role; throws for non-members. The system actor counts as an owner.</summary>
    public GroupRole RequireMember(GroupSnapshot group, Actor actor) => RoleOf(group, actor) ?? throw NotMember(actor);

    /// <summary>An open group's info is public; a closed group's is for its members.</summary>
    public void RequireInfoRight(GroupSnapshot group, Actor actor)
    {
        if (!group.Open)
        {
            RequireMember(group, actor);
        }
    }

    /// <summary>Why <paramref name="user"/> may not send <paramref name="clientMessageId"/> now, or null when they may.</summary>
    public RefusedException? SendRefusal(GroupSnapshot group, Actor user, string clientMessageId) =>
        !Ids.IsValid(clientMessageId) ? new RefusedException(Refusal.InvalidRequest, $"cmid must be {Ids.Rule}")
        : user.UserId is not { } id ? null
        : !group.Members.TryGetValue(id, out var record) ? NotMember(id)
        : record.Muted ? new RefusedException(Refusal.Muted, "you are muted in this group")
        : null;

    /// <summary>Where <paramref name="user"/>'s history starts: a member reads the timeline from their join.</summary>
    public long ReadFloor(GroupSnapshot group, string user) =>
        group.Members.TryGetValue(user, out var record) ? record.JoinedSeq - 1 : throw NotMember(user);

    /// <summary>The sender recalls their own message within the window; the owner and admins any message, and a service at any time.</summary>
    public void RequireRecallRight(GroupSnapshot group, Actor actor, StoredMessage message, long now)
    {
        var role = RequireMember(group, actor);
        if (SystemContentTypes.IsReserved(message.ContentType))
        {
            throw new RefusedException(Refusal.NotFound, $"seq {message.Seq} is not a message that can be recalled");
        }

        if (message.From != actor.Name && role < GroupRole.Admin)
        {
            throw new RefusedException(Refusal.Forbidden, "only the sender, the owner and admins recall a message");
        }

        if (!actor.IsSystem && now - message.Timestamp > options.RecallWindow.TotalMilliseconds)
        {
            throw new RefusedException(Refusal.RecallWindowPassed,
                $"messages can be recalled for {options.RecallWindow.TotalSeconds:0} s after sending");
        }
    }

    private MembershipDecision Add(GroupSnapshot group, IReadOnlyList<string> members, string eventType)
    {
        if (IdRefusal(members) is { } badIds)
        {
            return badIds;
        }

        var requested = Distinct(members);
        var added = requested.Where(m => !group.Members.ContainsKey(m)).ToList();
        if (BatchRefusal(added) is { } tooMany)
        {
            return tooMany;
        }

        var repair = added.Count < requested.Count ? requested.Where(group.Members.ContainsKey).ToList() : null;
        if (added.Count == 0)
        {
            return MembershipDecision.Nothing(repair);
        }

        if (group.Members.Count + added.Count > options.MaxGroupMembers)
        {
            return Refuse(Refusal.GroupFull, $"a group holds at most {options.MaxGroupMembers} members; it has {group.Members.Count}") with
            {
                Repair = repair,
            };
        }

        return new MembershipDecision(eventType, added, added.Select(m => MemberChange.Add(m, GroupRole.Member)).ToList(), [], Repair: repair);
    }

    private static MembershipDecision Remove(List<string> removed, string eventType) =>
        removed.Count == 0
            ? MembershipDecision.Nothing()
            : new MembershipDecision(eventType, removed, removed.Select(MemberChange.Delete).ToList(), []);

    private static MembershipDecision Update(
        string eventType, IReadOnlyList<(string User, MemberRecord Record)> updates, IReadOnlyList<(string, string)> meta, string? role = null) =>
        new(eventType, updates.Select(u => u.User).ToList(), updates.Select(u => MemberChange.Update(u.User, u.Record)).ToList(), meta, role);

    /// <summary>The actor's role; the system actor counts as an owner; null for non-members.</summary>
    private static GroupRole? RoleOf(GroupSnapshot group, Actor actor) =>
        actor.UserId is not { } user ? GroupRole.Owner
        : group.Members.TryGetValue(user, out var record) ? record.Role
        : null;

    private MembershipDecision? BatchRefusal(IReadOnlyCollection<string> members) =>
        members.Count > options.MaxMembersPerChange
            ? Refuse(Refusal.InvalidRequest, $"at most {options.MaxMembersPerChange} members per change")
            : null;

    private static MembershipDecision? IdRefusal(IReadOnlyList<string> members) =>
        members.Any(m => !Ids.IsValid(m)) ? Refuse(Refusal.InvalidRequest, $"member ids must be {Ids.Rule}") : null;

    private static List<string> Distinct(IReadOnlyList<string> members) => members.Distinct(StringComparer.Ordinal).ToList();

    private static MembershipDecision Refuse(Refusal reason, string message) => MembershipDecision.Refused(new RefusedException(reason, message));

    private RefusedException NotMember(Actor actor) =>
        actor.UserId is { } user ? NotMember(user) : new(Refusal.NotMember, "not a member");

    private RefusedException NotMember(string user) => new(Refusal.NotMember, $"{user} is not a member of group {groupId}");
}
