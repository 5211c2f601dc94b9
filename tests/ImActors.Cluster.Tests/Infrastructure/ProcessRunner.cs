using System.Diagnostics;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>Runs a command to its end and returns its exit code and output (stdout then stderr).</summary>
public static class ProcessRunner
{
    public static async Task<(int Exit, string Output)> RunAsync(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
