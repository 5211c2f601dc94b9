using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>ramp</c>: the <c>direct</c> load, raised step by step until p99 exceeds the bound (or messages are
/// lost, or fewer than 95% of the target arrive in time); reports the highest rate held.
/// </summary>
public sealed class RampScenario(RampOptions options) : Scenario
{
    public override string Name => "ramp";

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        var counters = new LoadCounters();
        await using var pairs = await PairSet.OpenAsync(target, options.Pairs, counters, cancellationToken);
        await using var idle = options.Idle == 0 ? null : await ConnectionSet.OpenAsync(
            target, RunIds.Users("idle", options.Idle), null, new LoadCounters(), 64, requireAll: true, cancellationToken);

        // A freshly started server runs unoptimised code for its first seconds: load it at the start rate
        // before the first measured step, or that step measures the JIT.
        if (options.Settle > TimeSpan.Zero)
        {
            await LoadStep.RunAsync(options.StartRate, options.Settle, TimeSpan.Zero, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
        }

        LoadStepResult? held = null;
        LoadStepResult? broke = null;
        var retried = 0;
        for (var rate = options.StartRate; rate <= options.MaxRate; rate = Math.Round(rate * options.Factor))
        {
            var step = await LoadStep.RunAsync(rate, options.StepDuration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
            report.AddStep(step.ToRow());
            if (!Holds(step, rate) && step.Lost == 0 && step.Errors == 0)
            {
                // One hiccup of the machine in a few seconds' step sets its p99: a step fails only if it fails twice.
                step = await LoadStep.RunAsync(rate, options.StepDuration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
                report.AddStep(step.ToRow());
                retried++;
            }

            if (!Holds(step, rate))
            {
                broke = step;
                break;
            }

            held = step;
        }

        report.Add("pairs", options.Pairs);
        report.Add("idle_connections", options.Idle);
        report.Add("size_bytes", options.Size, "B");
        report.Add("p99_bound_ms", options.P99BoundMs, "ms");
        report.Add("highest_rate_held", held?.TargetRate, "msg/s");
        report.Add("held_p50_ms", held?.Latency.P50Ms, "ms");
        report.Add("held_p99_ms", held?.Latency.P99Ms, "ms");
        report.Add("held_p999_ms", held?.Latency.P999Ms, "ms");
        report.Add("held_ack_p99_ms", held?.AckLatency.P99Ms, "ms");
        report.Add("held_server_cpu_us_per_msg", held is null ? null : Math.Round(held.ServerCpuMicrosPerDelivery, 2), "µs");
        report.Add("held_generator_cores", held is null ? null : Math.Round(held.GeneratorCores, 3), "cores");
        report.Add("first_rate_failed", broke?.TargetRate, "msg/s");
        report.Add("steps_repeated", retried);
        report.Add("failed_because", broke is null ? "max-rate reached" :
            broke.Errors > 0 || broke.Lost > 0 ? $"errors {broke.Errors}, lost {broke.Lost}: {broke.FirstError}" :
            broke.DeliveriesPerSecond < 0.95 * broke.TargetRate ? $"only {broke.DeliveriesPerSecond:0}/s arrived in time" :
            $"p99 {broke.Latency.P99Ms} ms > {options.P99BoundMs} ms");
    }

    private bool Holds(LoadStepResult step, double rate) =>
        step.Latency.P99Ms is { } p99 && p99 <= options.P99BoundMs && step.Lost == 0 && step.Errors == 0 &&
        step.DeliveriesPerSecond >= 0.95 * rate;
}
