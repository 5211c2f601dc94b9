using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Groups;

/// <summary>
/// What <see cref="GroupRules"/> decided for one membership command, before anything is stored: a refusal, nothing to
/// do (a repeated command), or the member changes with the timeline event that records them.
/// </summary>
/// <param name="EventType">The event's type (<see cref="GroupEvents"/>); empty when nothing changes.</param>
/// <param name="EventMembers">The members the event names.</param>
/// <param name="Changes">The member records to add, update or delete, in one store step with the event.</param>
/// <param name="Meta">Group fields the same step sets (owner, open, created).</param>
/// <param name="Role">The role an appointment gives, for the event's body.</param>
/// <param name="Repair">Members already in the group whose own list of groups is stored again: a repeated add finds
/// them members, but a crash between the first add's steps may have left their list without the group.</param>
internal sealed record MembershipDecision(
    string EventType,
    IReadOnlyList<string> EventMembers,
    IReadOnlyList<MemberChange> Changes,
    IReadOnlyList<(string Field, string Value)> Meta,
    string? Role = null,
    IReadOnlyList<string>? Repair = null)
{
    /// <summary>Why the command is refused; null when it is not.</summary>
    public RefusedException? Refusal { get; private init; }

    /// <summary>Nothing to store: the command asks for what already holds.</summary>
    public bool ChangesNothing => Refusal is null && EventType.Length == 0;

    public static MembershipDecision Refused(RefusedException refusal) => new("", [], [], []) { Refusal = refusal };

    public static MembershipDecision Nothing(IReadOnlyList<string>? repair = null) => new("", [], [], [], Repair: repair);
}
