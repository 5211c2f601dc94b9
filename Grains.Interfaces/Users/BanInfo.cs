namespace ImActors.Grains.Interfaces.Users;

/// <summary>A user's ban: why, and since when. No device of the user signs in while it stands.</summary>
[GenerateSerializer, Immutable, Alias("imactors.BanInfo")]
public sealed record BanInfo([property: Id(0)] string Reason, [property: Id(1)] DateTimeOffset Since)
{
    /// <summary>The longest reason kept: it is shown to the user's devices and written to logs.</summary>
    public const int MaxReasonLength = 200;
}
