namespace ImActors.Grains.Interfaces.Users;

/// <summary>One connected device of a user: where it is held, so grains can push to it.</summary>
/// <param name="EdgeIncarnation">Changes every time the edge process starts: sessions of an earlier run of the same edge id are stale.</param>
/// <param name="ConnectionId">The connection's id inside that edge incarnation.</param>
/// <param name="TokenIssuedAtMs">
/// The hello token's <c>iat</c>, Unix milliseconds (0: the token had none). The login step refuses it when the user or
/// the device was revoked after it (decision 107).
/// </param>
[GenerateSerializer, Immutable, Alias("imactors.SessionInfo")]
public sealed record SessionInfo(
    [property: Id(0)] string Device,
    [property: Id(1)] string Platform,
    [property: Id(2)] string EdgeId,
    [property: Id(3)] Guid EdgeIncarnation,
    [property: Id(4)] long ConnectionId,
    [property: Id(5)] DateTimeOffset ConnectedAt,
    [property: Id(6)] long TokenIssuedAtMs = 0)
{
    public bool IsSameConnection(SessionInfo other) =>
        EdgeId == other.EdgeId && EdgeIncarnation == other.EdgeIncarnation && ConnectionId == other.ConnectionId;
}

/// <summary>What a device learns when its session is registered.</summary>
/// <param name="InboxSeq">The highest seq in the user's inbox now.</param>
/// <param name="Groups">The groups the user is a member of: the edge subscribes to those it holds no member of yet.</param>
[GenerateSerializer, Immutable, Alias("imactors.ConnectResult")]
public sealed record ConnectResult([property: Id(0)] long InboxSeq, [property: Id(1)] string[] Groups);
