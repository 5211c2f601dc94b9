namespace ImActors.Grains.Interfaces.Messages;

/// <summary>Why a grain refused a request that was well-formed: the caller lacks a right or the target is not there.</summary>
public enum Refusal
{
    InvalidRequest = 0,
    NotMember = 1,
    Forbidden = 2,
    Muted = 3,
    NoSuchGroup = 4,
    GroupExists = 5,
    GroupFull = 6,
    NotFound = 7,
    RecallWindowPassed = 8,

    /// <summary>A newer connection of the same device is already registered: this one arrived late.</summary>
    Superseded = 9,

    /// <summary>The user is banned: no device of theirs may sign in until a service lifts the ban.</summary>
    Banned = 10,
    /// <summary>A connection would watch more users than it may.</summary>
    WatchLimit = 11,

    /// <summary>The recipient has blocked the sender: the 1:1 send is not stored (decision 112).</summary>
    Blocked = 12,

    /// <summary>The user's block list is full (<see cref="Users.IUserGrain.MaxBlocked"/>): unblock someone first.</summary>
    BlockLimit = 13,

    /// <summary>
    /// The recipient already holds as many unread messages from the sender as one sender may leave there: the 1:1 send is
    /// not stored until the recipient reads some (decision 132).
    /// </summary>
    UnreadLimit = 14,

    // Token refusals, numbered apart so that refusals of other kinds can be added before them.

    /// <summary>The token was issued before a revocation of its user or device, or a refresh token was used twice.</summary>
    TokenRevoked = 20,

    /// <summary>A refresh token that is not one the store holds: unknown, malformed, of a replaced family.</summary>
    TokenInvalid = 21,

    /// <summary>A refresh token past its expiry, or its family past the family's.</summary>
    TokenExpired = 22,
}

/// <summary>
/// A request refused by the rules (membership, roles, limits), not by a failure: retrying it will not help.
/// The edge turns <see cref="Reason"/> into an error code on the wire.
/// </summary>
[GenerateSerializer, Alias("imactors.RefusedException")]
public sealed class RefusedException : Exception
{
    public RefusedException(Refusal reason, string message) : base(message)
    {
        Reason = reason;
    }

    [Id(0)] public Refusal Reason { get; init; }
}
