using System.Diagnostics;
using System.Globalization;

namespace ImActors.Bench.Measurement;

/// <summary>
/// Bytes allocated per second by each server process over a run, from dotnet-counters
/// (<c>dotnet.gc.heap.total_allocated</c>, one increment a second). Divided by the delivery rate it gives
/// allocations per message: where the garbage collector's work comes from. Opt-in (<c>--alloc</c>): the
/// event session it opens in every server costs a little, so the headline runs go without it.
/// </summary>
public sealed class AllocationProbe
{
    private readonly List<(string Role, Task<List<(DateTime At, double Bytes)>> Rows)> _reads = [];

    private AllocationProbe()
    {
    }

    public static AllocationProbe? Start(ServerProcesses servers, TimeSpan length, CancellationToken cancellationToken)
    {
        if (ManagedHeap.Find() is not { } tool)
        {
            return null;
        }

        var probe = new AllocationProbe();
        foreach (var process in servers.All)
        {
            probe._reads.Add((process.Role, ReadAsync(tool, process.Pid, length, cancellationToken)));
        }

        return probe;
    }

    /// <summary>Mean bytes per second per role over [from, to] (local clock, second resolution).</summary>
    public async Task<Dictionary<string, double>> BytesPerSecondAsync(DateTime from, DateTime to)
    {
        var byRole = new Dictionary<string, double>();
        foreach (var (role, read) in _reads)
        {
            var rows = (await read).Where(r => r.At > from && r.At <= to).ToList();
            if (rows.Count > 0)
            {
                byRole[role] = byRole.GetValueOrDefault(role) + rows.Average(r => r.Bytes);
            }
        }

        return byRole;
    }

    private static async Task<List<(DateTime, double)>> ReadAsync(string tool, int pid, TimeSpan length, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-alloc-{pid}-{Guid.NewGuid():N}.csv");
        try
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var duration = TimeSpan.FromSeconds(Math.Ceiling(length.TotalSeconds));
            foreach (var arg in new[]
                     {
                         "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime[dotnet.gc.heap.total_allocated]",
                         "--format", "csv", "-o", file, "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture),
                     })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return File.Exists(file)
                ? File.ReadLines(file).Skip(1).Select(l => l.Split(',')).Where(c => c.Length >= 5)
                    .Select(c => (DateTime.ParseExact(c[0], "MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture), double.Parse(c[^1], CultureInfo.InvariantCulture)))
                    .ToList()
                : [];
        }
        catch (Exception e) when (e is IOException or FormatException or System.ComponentModel.Win32Exception)
        {
            return [];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
