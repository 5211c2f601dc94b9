using System.Diagnostics;
using System.Text.Json;

namespace ImActors.Bench.Tests;

/// <summary>Runs the built benchmark tool as a process, as a user or a script would.</summary>
public static class BenchTool
{
    private static readonly string Dll = Locate();

    public sealed record Run(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>The JSON line: the last line of stdout.</summary>
        public JsonElement Json()
        {
            var line = StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            Assert.True(line.StartsWith('{'), $"the last line of stdout is not JSON: '{line}'\nstderr: {StdErr}");
            return JsonDocument.Parse(line).RootElement;
        }
    }

    public static async Task<Run> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM would let it stop its servers; a hung run is killed with its whole tree.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        // The tool's own build output, in the configuration these tests were built in.
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Repository.PathOf("bench", "ImActors.Bench", "bin", configuration, "net10.0", "ImActors.Bench.dll");
    }
}
