using System.Diagnostics;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>The built <c>imctl</c>, run as a process (from the configuration these tests were built in).</summary>
public static class Imctl
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static async Task<Run> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("IMACTORS_API_KEY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static string Path()
    {
        // .../tests/ImActors.Integration.Tests/bin/<Configuration>/net10.0/
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "ImActors.sln")))
        {
            root = root.Parent;
        }

        var path = System.IO.Path.Combine(root!.FullName, "Client", "Imctl", "bin", configuration, bin.Name, "imctl.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("imctl is not built", path);
    }
}
