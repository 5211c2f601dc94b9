namespace ImActors.Grains.Conversations;

/// <summary>Limits of groups and recalls. Bound from the "Conversations" configuration section.</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversations";

    /// <summary>The most members a group may have, owner included.</summary>
    public int MaxGroupMembers { get; set; } = 100_000;

    /// <summary>How long after sending a message can be recalled (by its sender, or a group's owner or admins).</summary>
    public TimeSpan RecallWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most members one add or remove call may name.</summary>
    public int MaxMembersPerChange { get; set; } = 1000;
}
