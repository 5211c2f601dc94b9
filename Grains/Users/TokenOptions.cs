namespace ImActors.Grains.Users;

/// <summary>Refresh tokens' bounds (decision 106). Bound from the "Tokens" section; use the same values on every silo.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>How long one refresh token stays usable; each rotation issues the next with this much again.</summary>
    public TimeSpan RefreshLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a family lives from its issue, however often it rotates: then the user signs in again.</summary>
    public TimeSpan FamilyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Devices of one user holding a refresh token family at once; an issue beyond drops the soonest to expire.</summary>
    public int MaxFamiliesPerUser { get; set; } = 50;
}
