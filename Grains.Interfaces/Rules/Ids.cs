using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Interfaces.Rules;

/// <summary>
/// The rule for user, group and device ids and client message ids: 1 to 64 characters of ASCII letters, digits and
/// <c>. _ - @ :</c>. Ids become parts of store keys (a user's keys share a hash tag, so a brace in an id would move
/// them to another slot) and of log lines. The edge checks clients against it and the grains check every caller, so a
/// business service calling a grain is held to the same rule as a client.
/// </summary>
public static class Ids
{
    public const int MaxLength = 64;

    public const string Rule = "1-64 characters of letters, digits and . _ - @ :";

    public static bool IsValid(string? id) => IsValid(id, MaxLength);

    /// <summary>Request ids may embed an id after a short prefix, so they get more room.</summary>
    public static bool IsValidRequestId(string? id) => IsValid(id, 2 * MaxLength);

    /// <summary>Refuses an id that breaks the rule, naming what it is (<c>"to"</c>, <c>"member"</c>, ...).</summary>
    public static string Require(string? id, string what) =>
        IsValid(id) ? id! : throw new RefusedException(Refusal.InvalidRequest, $"{what} must be {Rule}");

    private static bool IsValid(string? id, int maxLength)
    {
        if (string.IsNullOrEmpty(id) || id.Length > maxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
