namespace ImActors.Grains.Interfaces.Users;

/// <summary>A refresh token just issued or rotated (decision 106): give it to the device, and forget it.</summary>
/// <param name="Token">The opaque token. The store keeps only its hash, so it cannot be read back.</param>
/// <param name="ExpiresAt">After this it is refused; a rotation issues the next one with a new expiry.</param>
[GenerateSerializer, Immutable, Alias("imactors.RefreshGrant")]
public sealed record RefreshGrant(
    [property: Id(0)] string Token,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string User,
    [property: Id(3)] string Device);
