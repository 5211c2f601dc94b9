using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ImActors.Bench.Report;

/// <summary>
/// Every figure of a run, in the order it was added: printed as a table for people and as one JSON line
/// (always the last line of stdout) for scripts.
/// </summary>
public sealed class BenchReport(string scenario, string target, string commandLine)
{
    private readonly List<(string Key, object? Value, string Unit)> _figures = [];
    private readonly List<Dictionary<string, object?>> _steps = [];

    public void Add(string key, object? value, string unit = "") => _figures.Add((key, value, unit));

    /// <summary>One row of a multi-point scenario (ramp steps): kept whole in the JSON.</summary>
    public void AddStep(Dictionary<string, object?> step) => _steps.Add(step);

    public void Write(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{scenario} against {target}");
        if (_steps.Count > 0)
        {
            var columns = _steps.SelectMany(s => s.Keys).Distinct().ToList();
            output.WriteLine(string.Join("  ", columns.Select(c => c.PadLeft(12))));
            foreach (var step in _steps)
            {
                output.WriteLine(string.Join("  ", columns.Select(c => Format(step.GetValueOrDefault(c)).PadLeft(12))));
            }

            output.WriteLine();
        }

        var width = _figures.Count == 0 ? 0 : _figures.Max(f => f.Key.Length);
        foreach (var (key, value, unit) in _figures)
        {
            output.WriteLine($"  {key.PadRight(width)}  {Format(value)} {unit}".TrimEnd());
        }

        output.WriteLine(ToJson());
        output.Flush();
    }

    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenario);
            json.WriteString("target", target);
            json.WriteString("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteString("command", commandLine);
            json.WritePropertyName("machine");
            JsonSerializer.Serialize(json, MachineInfo.Current);
            json.WritePropertyName("results");
            json.WriteStartObject();
            foreach (var (key, value, _) in _figures)
            {
                json.WritePropertyName(key);
                JsonSerializer.Serialize(json, value);
            }

            json.WriteEndObject();
            if (_steps.Count > 0)
            {
                json.WritePropertyName("steps");
                JsonSerializer.Serialize(json, _steps);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Format(object? value) => value switch
    {
        null => "-",
        double d => d.ToString(Math.Abs(d) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
