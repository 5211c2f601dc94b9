using System.Runtime.InteropServices;

namespace ImActors.Bench.Report;

/// <summary>What a figure was measured on: a number means little without the machine next to it.</summary>
public sealed record MachineInfo(int Cores, long MemoryBytes, string Cpu, string Os, string Dotnet)
{
    public static MachineInfo Current { get; } = Read();

    private static MachineInfo Read()
    {
        var memory = 0L;
        var cpu = "unknown";
        var os = RuntimeInformation.OSDescription;
        // ProcessorCount honours the affinity mask (1 under taskset): the machine's cores are what matters here.
        var cores = Environment.ProcessorCount;
        try
        {
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null)
            {
                memory = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }

            cores = Math.Max(cores, File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)));
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (pretty is not null)
            {
                os = pretty["PRETTY_NAME=".Length..].Trim('"') + " (" + RuntimeInformation.OSDescription + ")";
            }
        }
        catch (IOException)
        {
            // Not Linux: the runtime's own description stays.
        }

        return new MachineInfo(cores, memory, cpu, os, RuntimeInformation.FrameworkDescription);
    }
}
