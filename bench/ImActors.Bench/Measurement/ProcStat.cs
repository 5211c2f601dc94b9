namespace ImActors.Bench.Measurement;

/// <summary>CPU time and resident memory of a process, read from /proc: no cooperation from the process needed.</summary>
public readonly record struct ProcSample(double CpuSeconds, long RssBytes)
{
    // USER_HZ is 100 on every Linux the runtime supports; /proc/<pid>/stat counts in it.
    private const double TicksPerSecond = 100;

    public static ProcSample? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
            var rss = 0L;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                    break;
                }
            }

            return new ProcSample(ticks / TicksPerSecond, rss);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
