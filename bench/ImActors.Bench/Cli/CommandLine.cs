namespace ImActors.Bench.Cli;

/// <summary>The exact command line of this run, as it would be typed again (for the report).</summary>
public static class CommandLine
{
    public static string Current { get; } = string.Join(' ', Environment.GetCommandLineArgs().Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
