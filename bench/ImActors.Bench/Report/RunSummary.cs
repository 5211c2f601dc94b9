using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Report;

/// <summary>
/// <c>summarize FILE...</c>: the median and range of every numeric figure over repeated runs, per target,
/// and the ratio of ImActors' median to each peer's. Each file holds one run's output (its last line is
/// the run's JSON line).
/// </summary>
public static class RunSummary
{
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        if (files.Count == 0)
        {
            throw new BenchUsageException("summarize needs the output files of the runs");
        }

        var runs = new List<JsonObject>();
        foreach (var file in files)
        {
            var line = File.Exists(file) ? File.ReadLines(file).LastOrDefault(l => l.StartsWith('{')) : null;
            if (line is null || JsonNode.Parse(line) is not JsonObject run)
            {
                throw new BenchUsageException($"{file} holds no JSON line of a run");
            }

            runs.Add(run);
        }

        var byTarget = runs.GroupBy(r => (string)r["target"]!).ToList();
        var figures = runs.SelectMany(r => r["results"]!.AsObject())
            .Where(p => p.Value is JsonValue v && v.TryGetValue<double>(out _))
            .Select(p => p.Key).Distinct().ToList();
        var summary = new JsonObject();
        foreach (var target in byTarget)
        {
            var perFigure = new JsonObject { ["runs"] = target.Count() };
            foreach (var figure in figures)
            {
                var values = target.Select(r => r["results"]![figure]).OfType<JsonValue>()
                    .Select(v => v.TryGetValue<double>(out var d) ? d : double.NaN).Where(d => !double.IsNaN(d)).Order().ToList();
                if (values.Count > 0)
                {
                    perFigure[figure] = new JsonObject { ["median"] = Median(values), ["min"] = values[0], ["max"] = values[^1] };
                }
            }

            summary[target.Key] = perFigure;
        }

        // Each ImActors variant (the split node, the single-process node) against each peer.
        var ratios = new JsonObject();
        var names = byTarget.Select(t => t.Key).ToList();
        foreach (var mine in names.Where(IsImActors))
        {
            var ours = summary[mine]!.AsObject();
            foreach (var peer in names.Where(t => !IsImActors(t)))
            {
                var theirs = summary[peer]!.AsObject();
                var perFigure = new JsonObject();
                foreach (var figure in figures)
                {
                    if (ours[figure]?["median"]?.GetValue<double>() is { } a && theirs[figure]?["median"]?.GetValue<double>() is { } b && b != 0)
                    {
                        perFigure[figure] = Math.Round(a / b, 3);
                    }
                }

                ratios[$"{mine}/{peer}"] = perFigure;
            }
        }

        WriteTable(output, byTarget.Select(t => t.Key).ToList(), figures, summary, ratios);
        var json = new JsonObject
        {
            ["summary"] = (string?)runs[0]["scenario"],
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["machine"] = runs[0]["machine"]?.DeepClone(),
            ["commands"] = new JsonArray(runs.Select(r => (JsonNode?)JsonValue.Create((string?)r["command"])).ToArray()),
            ["targets"] = summary,
            ["ratios"] = ratios,
        };
        output.WriteLine(json.ToJsonString());
        return 0;
    }

    private static void WriteTable(TextWriter output, List<string> targets, List<string> figures, JsonObject summary, JsonObject ratios)
    {
        const int width = 26;
        output.WriteLine();
        output.WriteLine("median [min-max] over " + string.Join(", ", targets.Select(t => $"{summary[t]!["runs"]} runs of {t}")));
        output.WriteLine("".PadRight(30) + string.Join("", targets.Select(t => t.PadLeft(width))) + string.Join("", ratios.Select(r => r.Key.PadLeft(width))));
        foreach (var figure in figures)
        {
            var cells = targets.Select(t => summary[t]![figure] is JsonObject f
                ? $"{N(f["median"])} [{N(f["min"])}-{N(f["max"])}]"
                : "-");
            var ratioCells = ratios.Select(r => r.Value![figure] is { } v ? N(v) : "-");
            output.WriteLine(figure.PadRight(30) + string.Join("", cells.Select(c => c.PadLeft(width))) + string.Join("", ratioCells.Select(c => c.PadLeft(width))));
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string N(JsonNode? node)
    {
        var d = node!.GetValue<double>();
        return d.ToString(Math.Abs(d) >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
    }

    private static bool IsImActors(string target) => target.StartsWith("imactors", StringComparison.Ordinal);
}
