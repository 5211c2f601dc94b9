using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Interfaces.Rules;

/// <summary>
/// One conversation of a user: with a peer (1:1), in a group, or with the system (the 1:1 messages business services
/// sent the user; named by the peer <c>""</c>, the system's name on the wire). Never more than one and never none, an id
/// valid under <see cref="Ids"/>. Made only through <see cref="Of"/>, <see cref="TryOf"/> or <see cref="System"/>, so
/// whoever holds one holds a checked conversation: the edge for a client's frame, the grain for a service's call.
/// What the system conversation takes is less than a peer's: read marks, but no sends, receipts, typing or recalls;
/// whoever acts on a conversation asks <see cref="IsSystem"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("imactors.ConversationRef")]
public readonly record struct ConversationRef
{
    private ConversationRef(string? peer, string? group) => (Peer, Group) = (peer, group);

    /// <summary>The system's conversation with the user: <see cref="Peer"/> is <c>""</c> (<see cref="Actor.Name"/> of the system).</summary>
    public static ConversationRef System { get; } = new(Actor.System.Name, null);

    /// <summary>The other user of a 1:1 conversation, "" for the system; null for a group.</summary>
    [Id(0)] public string? Peer { get; }

    /// <summary>The group; null for a 1:1 conversation.</summary>
    [Id(1)] public string? Group { get; }

    public bool IsGroup => Group is not null;

    public bool IsSystem => Peer?.Length == 0;

    /// <summary>The peer's or the group's id; "" for the system.</summary>
    public string Id => Peer ?? Group ?? "";

    public static bool TryOf(string? peer, string? group, out ConversationRef conversation)
    {
        conversation = new ConversationRef(peer, group);
        return (peer is null) != (group is null) && (peer?.Length == 0 || Ids.IsValid(peer ?? group));
    }

    /// <summary>The conversation, or a refusal (<see cref="Refusal.InvalidRequest"/>) saying what is wrong.</summary>
    public static ConversationRef Of(string? peer, string? group)
    {
        if ((peer is null) == (group is null))
        {
            throw new RefusedException(Refusal.InvalidRequest, "name exactly one of peer and group");
        }

        if (peer?.Length == 0)
        {
            return System;
        }

        Ids.Require(peer ?? group, peer is null ? "group" : "peer");
        return new ConversationRef(peer, group);
    }

    public override string ToString() => IsSystem ? "the system" : Peer is not null ? $"peer {Peer}" : $"group {Group}";
}
