using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Edge.Auth;

/// <summary>
/// User and device ids: the grains' rule (<see cref="Ids"/>), checked at the door so a bad id gets an error frame
/// before any grain is called.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = Ids.MaxLength;

    public static bool IsValid(string? id) => Ids.IsValid(id);

    /// <summary>Request ids may embed an id after a short prefix, so they get more room.</summary>
    public static bool IsValidRequestId(string? id) => Ids.IsValidRequestId(id);
}
