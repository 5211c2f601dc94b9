using System.Globalization;

namespace ImActors.Bench.Cli;

/// <summary>Bad input on the command line: printed as one line, exit code 2.</summary>
public sealed class BenchUsageException(string message) : Exception(message);

/// <summary>
/// <c>command --name value --flag ...</c>. Every option a scenario does not read is an error, so a typo never
/// silently runs the defaults.
/// </summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new BenchUsageException("usage: ImActors.Bench <connections|direct|group|big-group|reconnect-storm|restart|ramp|relay> [--option value ...]");
        }

        Command = args[0];
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (Command == "summarize")
            {
                Files.Add(arg);
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new BenchUsageException($"unexpected argument '{arg}': options look like --name value");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (!_options.TryAdd(name, value))
            {
                throw new BenchUsageException($"option --{name} given twice");
            }
        }
    }

    public string Command { get; }

    /// <summary>Positional arguments: only <c>summarize</c> takes them (the files of the runs).</summary>
    public List<string> Files { get; } = [];

    public bool Has(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name, string? fallback = null)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return fallback;
        }

        return value ?? throw new BenchUsageException($"option --{name} needs a value");
    }

    public int Int(string name, int fallback, int min = 1, int max = int.MaxValue) =>
        (int)Double(name, fallback, min, max, integer: true);

    public double Double(string name, double fallback, double min = 0, double max = double.MaxValue, bool integer = false)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            (integer && value != Math.Floor(value)))
        {
            throw new BenchUsageException($"option --{name}: '{text}' is not {(integer ? "an integer" : "a number")}");
        }

        if (value < min || value > max)
        {
            throw new BenchUsageException($"option --{name}: {text} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public IReadOnlyList<string> List(string name) =>
        String(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Call after the scenario has read its options.</summary>
    public void RejectUnread()
    {
        foreach (var name in _options.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new BenchUsageException($"unknown option --{name} for '{Command}'");
            }
        }
    }
}
