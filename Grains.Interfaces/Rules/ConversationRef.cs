using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Interfaces.Rules;

/// <summary>
/// One conversation of a user: with a peer (1:1) or in a group, never both and never neither, its id valid under
/// <see cref="Ids"/>. Made only through <see cref="Of"/> or <see cref="TryOf"/>, so whoever holds one holds a checked
/// conversation: the edge for a client's frame, the grain for a service's call.
/// </summary>
[GenerateSerializer, Immutable, Alias("imactors.ConversationRef")]
public readonly record struct ConversationRef
{
    private ConversationRef(string? peer, string? group) => (Peer, Group) = (peer, group);

    /// <summary>The other user of a 1:1 conversation; null for a group.</summary>
    [Id(0)] public string? Peer { get; }

    /// <summary>The group; null for a 1:1 conversation.</summary>
    [Id(1)] public string? Group { get; }

    public bool IsGroup => Group is not null;

    /// <summary>The peer's or the group's id.</summary>
    public string Id => Peer ?? Group ?? "";

    public static bool TryOf(string? peer, string? group, out ConversationRef conversation)
    {
        conversation = new ConversationRef(peer, group);
        return (peer is null) != (group is null) && Ids.IsValid(peer ?? group);
    }

    /// <summary>The conversation, or a refusal (<see cref="Refusal.InvalidRequest"/>) saying what is wrong.</summary>
    public static ConversationRef Of(string? peer, string? group)
    {
        if ((peer is null) == (group is null))
        {
            throw new RefusedException(Refusal.InvalidRequest, "name exactly one of peer and group");
        }

        Ids.Require(peer ?? group, peer is null ? "group" : "peer");
        return new ConversationRef(peer, group);
    }

    public override string ToString() => Peer is not null ? $"peer {Peer}" : $"group {Group}";
}
