namespace ImActors.Bench.Measurement;

/// <summary>A process on the server side, with its role in the report ("silo", "edge", "peer", "relay").</summary>
public sealed record ServerProcess(string Role, int Pid);

/// <summary>The server side's processes, measured together (CPU per message counts every one of them).</summary>
public sealed class ServerProcesses(IReadOnlyList<ServerProcess> processes)
{
    public IReadOnlyList<ServerProcess> All => processes;

    public double CpuSeconds(string? role = null) =>
        processes.Where(p => role is null || p.Role == role).Sum(p => ProcSample.Read(p.Pid)?.CpuSeconds ?? 0);

    /// <summary>CPU seconds per role, to say which process the time goes to.</summary>
    public Dictionary<string, double> CpuSecondsByRole() => Roles.ToDictionary(r => r, r => CpuSeconds(r));

    public long RssBytes(string? role = null) =>
        processes.Where(p => role is null || p.Role == role).Sum(p => ProcSample.Read(p.Pid)?.RssBytes ?? 0);

    public IEnumerable<string> Roles => processes.Select(p => p.Role).Distinct();

    /// <summary>Samples every <paramref name="interval"/> until disposed, keeping the peaks (for storms).</summary>
    public PeakSampler StartPeakSampler(TimeSpan interval) => new(this, interval);
}

public sealed class PeakSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    internal PeakSampler(ServerProcesses servers, TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            var lastCpu = servers.CpuSeconds();
            var lastAt = DateTime.UtcNow;
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var cpu = servers.CpuSeconds();
                    var now = DateTime.UtcNow;
                    PeakCores = Math.Max(PeakCores, (cpu - lastCpu) / (now - lastAt).TotalSeconds);
                    PeakRssBytes = Math.Max(PeakRssBytes, servers.RssBytes());
                    (lastCpu, lastAt) = (cpu, now);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>Highest CPU use seen over one interval, in cores (1.0 = one core busy).</summary>
    public double PeakCores { get; private set; }

    public long PeakRssBytes { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
