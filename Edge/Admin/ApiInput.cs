using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Edge.Admin;

/// <summary>
/// Checks of what a service sent, each naming the field at fault. The id rule is the grains' own (<see cref="Ids"/>):
/// checked here so that bad input is a 400 naming its field before any grain is called.
/// </summary>
public static class ApiInput
{
    public static string Id(string? value, string field) =>
        Ids.IsValid(value) ? value! : throw new ApiInputException(field, $"{field} must be {Ids.Rule}");

    public static string? OptionalId(string? value, string field) => value is null ? null : Id(value, field);

    /// <summary>User ids, each checked, named <c>field[i]</c> when at fault. How many one change may name is the grain's limit.</summary>
    public static string[] UserIds(string[]? values, string field, bool required)
    {
        if (values is null || values.Length == 0)
        {
            return required ? throw new ApiInputException(field, $"{field} must name at least one user id") : [];
        }

        for (var i = 0; i < values.Length; i++)
        {
            Id(values[i], $"{field}[{i}]");
        }

        return values;
    }

    public static string Text(string? value, string field, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength
            ? value
            : throw new ApiInputException(field, $"{field} must be 1-{maxLength} characters, not blank");

    public static void Require(bool condition, string field, string reason)
    {
        if (!condition)
        {
            throw new ApiInputException(field, reason);
        }
    }
}

/// <summary>Bad input, named by its field: answered with 400 by <see cref="ApiErrorHandling"/>.</summary>
public sealed class ApiInputException(string field, string reason) : Exception(reason)
{
    public string Field { get; } = field;
}
