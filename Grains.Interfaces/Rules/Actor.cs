namespace ImActors.Grains.Interfaces.Rules;

/// <summary>
/// Who asks a group for something: a user (a member or not), or <see cref="System"/>, a business service, which has
/// every right of an owner and is never a member. A user id is checked against <see cref="Ids"/> when the actor is
/// made, so a service cannot act as a user a client could not be.
/// </summary>
[GenerateSerializer, Immutable, Alias("imactors.Actor")]
public readonly record struct Actor
{
    private Actor(string? userId) => UserId = userId;

    /// <summary>A business service: every right, never a member.</summary>
    public static Actor System => default;

    /// <summary>The user's id; null for <see cref="System"/>.</summary>
    [Id(0)] public string? UserId { get; }

    public bool IsSystem => UserId is null;

    /// <summary>How the actor is written into timeline entries and events: the user id, or "" for the system (the wire's <c>from: ""</c>).</summary>
    public string Name => UserId ?? "";

    /// <summary>A user; refused (<see cref="Messages.Refusal.InvalidRequest"/>) when the id breaks the id rule.</summary>
    public static Actor OfUser(string userId) => new(Ids.Require(userId, "the user id"));

    public override string ToString() => UserId ?? "system";
}
