namespace ImActors.Bench.Cli;

/// <summary>The exact command line of this run, as it would be typed again (for the report).</summary>
public static class CommandLine
{
    public static string Current { get; } = string.Join(' ', Environment.GetCommandLineArgs().Select(Relative).Select(Quote));

    // Paths inside the working directory are shown relative to it, so a command reads the same on any machine.
    private static string Relative(string arg)
    {
        var cwd = Directory.GetCurrentDirectory() + Path.DirectorySeparatorChar;
        return arg.StartsWith(cwd, StringComparison.Ordinal) ? arg[cwd.Length..] : arg;
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
