namespace ImActors.Edge.Auth;

/// <summary>
/// User and device ids: 1 to 64 characters from a small set. Ids become parts of store keys and of log
/// lines, so braces, spaces and control characters are kept out at the door.
/// </summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) => IsValid(id, MaxLength);

    /// <summary>Request ids may embed an id after a short prefix, so they get more room.</summary>
    public static bool IsValidRequestId(string? id) => IsValid(id, 2 * MaxLength);

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
