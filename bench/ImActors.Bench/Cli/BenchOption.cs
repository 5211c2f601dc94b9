using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ImActors.Bench.Cli;

/// <summary>
/// How the tool's options read their values. Numbers are read in the invariant culture and checked against a
/// range, so <c>--duration 0.5</c> or <c>--rate 1e5</c> means the same on every machine and a value out of range
/// costs a one-line error before any server starts; a list is one comma-separated value.
/// </summary>
public static class BenchOption
{
    public static Option<int> Int(string name, int fallback, int min, int max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result => (int)Number(result, name, min, max, integer: true),
    };

    /// <summary>An integer whose default depends on other options: null when not given.</summary>
    public static Option<int?> OptionalInt(string name, int min, int max, string description) => new(name)
    {
        Description = description,
        CustomParser = result => (int)Number(result, name, min, max, integer: true),
    };

    public static Option<double> Double(string name, double fallback, double min, double max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result => Number(result, name, min, max, integer: false),
    };

    /// <summary>One value, split at commas (<c>--urls a,b</c>); given twice is an error, not a longer list.</summary>
    public static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result => result.Tokens[0].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static double Number(ArgumentResult result, string name, double min, double max, bool integer)
    {
        var text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            (integer && value != Math.Floor(value)))
        {
            result.AddError($"option {name}: '{text}' is not {(integer ? "an integer" : "a number")}");
            return 0;
        }

        if (value < min || value > max)
        {
            result.AddError($"option {name}: {text} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
            return 0;
        }

        return value;
    }
}
