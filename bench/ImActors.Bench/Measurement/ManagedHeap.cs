using System.Diagnostics;
using System.Globalization;

namespace ImActors.Bench.Measurement;

/// <summary>
/// The managed heap of the server processes, read with dotnet-counters (the runtime's
/// <c>dotnet.gc.last_collection.heap.size</c>: live objects as of the last GC, summed over generations).
/// Optional: without dotnet-counters on the machine the figures are left out, not guessed.
/// </summary>
public static class ManagedHeap
{
    public static async Task<Dictionary<string, long>> ReadAsync(ServerProcesses servers, CancellationToken cancellationToken)
    {
        var tool = Find();
        var byRole = new Dictionary<string, long>();
        if (tool is null)
        {
            return byRole;
        }

        var reads = servers.All.Select(p => (p.Role, Bytes: ReadOneAsync(tool, p.Pid, cancellationToken))).ToList();
        foreach (var (role, bytes) in reads)
        {
            if (await bytes is { } value)
            {
                byRole[role] = byRole.GetValueOrDefault(role) + value;
            }
        }

        return byRole;
    }

    private static async Task<long?> ReadOneAsync(string tool, int pid, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-heap-{pid}-{Guid.NewGuid():N}.csv");
        try
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
                     {
                         "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime[dotnet.gc.last_collection.heap.size]",
                         "--format", "csv", "-o", file, "--duration", "00:00:00:03",
                     })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (!File.Exists(file))
            {
                return null;
            }

            // Rows: Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; one per generation per tick. Keep the last tick.
            var rows = File.ReadLines(file).Skip(1).Select(l => l.Split(',')).Where(c => c.Length >= 5).ToList();
            if (rows.Count == 0)
            {
                return null;
            }

            var last = rows[^1][0];
            return (long)rows.Where(c => c[0] == last).Sum(c => double.Parse(c[^1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static string? Find()
    {
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return paths.Select(p => Path.Combine(p, "dotnet-counters")).FirstOrDefault(File.Exists);
    }
}
