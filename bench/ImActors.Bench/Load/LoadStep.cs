using System.Diagnostics;
using ImActors.Bench.Measurement;

namespace ImActors.Bench.Load;

/// <summary>The outcome of one rate held for one duration.</summary>
public sealed record LoadStepResult(
    double TargetRate,
    double Seconds,
    long Sends,
    long ExpectedDeliveries,
    long Delivered,
    double DeliveriesPerSecond,
    LatencySummary Latency,
    LatencySummary AckLatency,
    long Errors,
    long Lost,
    string? FirstError,
    double ServerCpuMicrosPerDelivery,
    double ServerCores,
    double GeneratorCores,
    IReadOnlyDictionary<string, double> ServerCpuMicrosByRole,
    double GeneratorBytesPerDelivery,
    IReadOnlyDictionary<string, double>? ServerBytesPerDeliveryByRole)
{
    public Dictionary<string, object?> ToRow() => new()
    {
        ["rate"] = TargetRate,
        ["delivered/s"] = Math.Round(DeliveriesPerSecond),
        ["p50_ms"] = Latency.P50Ms,
        ["p99_ms"] = Latency.P99Ms,
        ["p999_ms"] = Latency.P999Ms,
        ["max_ms"] = Latency.MaxMs,
        ["errors"] = Errors,
        ["lost"] = Lost,
        ["cpu_us"] = Math.Round(ServerCpuMicrosPerDelivery, 1),
        ["srv_cores"] = Math.Round(ServerCores, 2),
        ["gen_cores"] = Math.Round(GeneratorCores, 2),
    };
}

/// <summary>
/// Runs the open loop for warm-up + duration and measures the part after the warm-up: latency of the
/// messages sent in it, deliveries that arrived within it, and the server side's CPU over it.
/// </summary>
public static class LoadStep
{
    public static async Task<LoadStepResult> RunAsync(
        double rate, TimeSpan duration, TimeSpan warmup, int size, int deliveriesPerSend,
        Action<long, byte[]> send, LoadCounters counters, ServerProcesses servers, CancellationToken cancellationToken, bool allocations = false)
    {
        counters.Reset();
        var probe = allocations ? AllocationProbe.Start(servers, warmup + duration + TimeSpan.FromSeconds(1), cancellationToken) : null;
        if (probe is not null)
        {
            // dotnet-counters needs a moment to attach before the first second it reports.
            await Task.Delay(1500, cancellationToken);
        }

        var startAllocated = 0L;
        var startLocal = DateTime.MinValue;
        var warmupSends = (long)Math.Round(rate * warmup.TotalSeconds);
        var me = Process.GetCurrentProcess();
        (double Server, double Generator, long At) start = default;
        Dictionary<string, double> startByRole = [];
        await OpenLoop.RunAsync(rate, warmup + duration, (index, dueAt) =>
        {
            if (index == warmupSends)
            {
                me.Refresh();
                startByRole = servers.CpuSecondsByRole();
                startAllocated = GC.GetTotalAllocatedBytes();
                startLocal = DateTime.Now;
                start = (startByRole.Values.Sum(), me.TotalProcessorTime.TotalSeconds, Stopwatch.GetTimestamp());
            }

            send(index, MessageStamp.Create(size, dueAt, measured: index >= warmupSends));
        }, cancellationToken);

        me.Refresh();
        var endByRole = servers.CpuSecondsByRole();
        var endAllocated = GC.GetTotalAllocatedBytes();
        var endLocal = DateTime.Now;
        var end = (Server: endByRole.Values.Sum(), Generator: me.TotalProcessorTime.TotalSeconds, At: Stopwatch.GetTimestamp());
        var deliveredInWindow = counters.MeasuredReceived;
        var sends = (long)Math.Round(rate * (warmup + duration).TotalSeconds) - warmupSends;
        var expected = sends * deliveriesPerSend;

        // Let messages still in flight arrive (they count for latency and loss, not for the rate).
        var last = -1L;
        var quietSince = Stopwatch.GetTimestamp();
        while (counters.MeasuredReceived < expected && Stopwatch.GetElapsedTime(quietSince) < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(50, cancellationToken);
            if (counters.MeasuredReceived != last)
            {
                (last, quietSince) = (counters.MeasuredReceived, Stopwatch.GetTimestamp());
            }
        }

        Dictionary<string, double>? serverBytes = null;
        if (probe is not null)
        {
            var perSecond = await probe.BytesPerSecondAsync(startLocal, endLocal);
            var deliveryRate = expected / Math.Max(0.001, Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds);
            serverBytes = perSecond.ToDictionary(r => r.Key, r => r.Value / deliveryRate);
        }

        var seconds = start.At == 0 ? duration.TotalSeconds : Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds;
        var serverCpu = end.Server - start.Server;
        return new LoadStepResult(
            rate,
            Math.Round(seconds, 2),
            sends,
            expected,
            counters.MeasuredReceived,
            deliveredInWindow / seconds,
            counters.Latency.Summary(),
            counters.AckLatency.Summary(),
            counters.Errors,
            Math.Max(0, expected - counters.MeasuredReceived),
            counters.FirstError,
            expected == 0 ? 0 : serverCpu * 1e6 / expected,
            serverCpu / seconds,
            (end.Generator - start.Generator) / seconds,
            endByRole.ToDictionary(r => r.Key, r => expected == 0 ? 0 : (r.Value - startByRole.GetValueOrDefault(r.Key)) * 1e6 / expected),
            expected == 0 ? 0 : (endAllocated - startAllocated) / (double)expected,
            serverBytes);
    }

    /// <summary>The figures of a step, for the report's table and JSON.</summary>
    public static void Report(Report.BenchReport report, LoadStepResult step, string unit)
    {
        report.Add("target_rate", step.TargetRate, "sends/s");
        report.Add("seconds", step.Seconds, "s");
        report.Add("sends", step.Sends);
        report.Add("delivered", step.Delivered);
        report.Add($"{unit}_per_s", Math.Round(step.DeliveriesPerSecond), $"{unit}/s");
        report.Add("p50_ms", step.Latency.P50Ms, "ms");
        report.Add("p99_ms", step.Latency.P99Ms, "ms");
        report.Add("p999_ms", step.Latency.P999Ms, "ms");
        report.Add("max_ms", step.Latency.MaxMs, "ms");
        // From the same scheduled time to the sender's ACK: what a durable store's commit wait adds shows here.
        report.Add("ack_p50_ms", step.AckLatency.P50Ms, "ms");
        report.Add("ack_p99_ms", step.AckLatency.P99Ms, "ms");
        report.Add("ack_p999_ms", step.AckLatency.P999Ms, "ms");
        report.Add("ack_max_ms", step.AckLatency.MaxMs, "ms");
        report.Add("errors", step.Errors);
        report.Add("lost", step.Lost);
        report.Add("first_error", step.FirstError);
        report.Add($"server_cpu_us_per_{unit}", Math.Round(step.ServerCpuMicrosPerDelivery, 2), "µs");
        foreach (var (role, micros) in step.ServerCpuMicrosByRole)
        {
            report.Add($"{role}_cpu_us_per_{unit}", Math.Round(micros, 2), "µs");
        }

        report.Add("server_cores", Math.Round(step.ServerCores, 3), "cores");
        foreach (var (role, bytes) in step.ServerBytesPerDeliveryByRole ?? new Dictionary<string, double>())
        {
            report.Add($"{role}_alloc_bytes_per_{unit}", Math.Round(bytes), "B");
        }

        report.Add($"generator_alloc_bytes_per_{unit}", Math.Round(step.GeneratorBytesPerDelivery), "B");
        report.Add("generator_cores", Math.Round(step.GeneratorCores, 3), "cores");
    }
}
