using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>ramp</c>: the <c>direct</c> load, raised step by step until p99 exceeds the bound (or messages are
/// lost, or fewer than 95% of the target arrive in time); reports the highest rate held.
/// </summary>
public sealed class RampScenario : Scenario
{
    private int _pairs;
    private double _startRate;
    private double _factor;
    private double _maxRate;
    private TimeSpan _stepDuration;
    private TimeSpan _warmup;
    private double _p99BoundMs;
    private int _size;
    private int _idle;
    private TimeSpan _settle;

    public override string Name => "ramp";

    public override void ReadOptions(BenchArguments args)
    {
        _pairs = args.Int("pairs", 200);
        _startRate = args.Double("start-rate", 1000, 1, 1_000_000);
        _factor = args.Double("factor", 1.25, 1.01, 10);
        _maxRate = args.Double("max-rate", 200_000, 1, 10_000_000);
        _stepDuration = TimeSpan.FromSeconds(args.Double("step-duration", 5, 0.5, 600));
        _warmup = TimeSpan.FromSeconds(args.Double("warmup", 1, 0, 600));
        _p99BoundMs = args.Double("p99-ms", 10, 0.01, 60_000);
        _size = args.Int("size", 100, MessageStamp.MinSize, 60_000);
        _idle = args.Int("idle", 0, 0, 19_000);
        _settle = TimeSpan.FromSeconds(args.Double("settle", SteadyStateWarmupSeconds, 0, 600));
        if (_startRate > _maxRate)
        {
            throw new BenchUsageException("--start-rate is above --max-rate");
        }
    }

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        var counters = new LoadCounters();
        await using var pairs = await PairSet.OpenAsync(target, _pairs, counters, cancellationToken);
        await using var idle = _idle == 0 ? null : await ConnectionSet.OpenAsync(
            target, RunIds.Users("idle", _idle), null, new LoadCounters(), 64, requireAll: true, cancellationToken);

        // A freshly started server runs unoptimised code for its first seconds: load it at the start rate
        // before the first measured step, or that step measures the JIT.
        if (_settle > TimeSpan.Zero)
        {
            await LoadStep.RunAsync(_startRate, _settle, TimeSpan.Zero, _size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
        }

        LoadStepResult? held = null;
        LoadStepResult? broke = null;
        var retried = 0;
        for (var rate = _startRate; rate <= _maxRate; rate = Math.Round(rate * _factor))
        {
            var step = await LoadStep.RunAsync(rate, _stepDuration, _warmup, _size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
            report.AddStep(step.ToRow());
            if (!Holds(step, rate) && step.Lost == 0 && step.Errors == 0)
            {
                // One hiccup of the machine in a few seconds' step sets its p99: a step fails only if it fails twice.
                step = await LoadStep.RunAsync(rate, _stepDuration, _warmup, _size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
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

        report.Add("pairs", _pairs);
        report.Add("idle_connections", _idle);
        report.Add("size_bytes", _size, "B");
        report.Add("p99_bound_ms", _p99BoundMs, "ms");
        report.Add("highest_rate_held", held?.TargetRate, "msg/s");
        report.Add("held_p99_ms", held?.Latency.P99Ms, "ms");
        report.Add("held_server_cpu_us_per_msg", held is null ? null : Math.Round(held.ServerCpuMicrosPerDelivery, 2), "µs");
        report.Add("held_generator_cores", held is null ? null : Math.Round(held.GeneratorCores, 3), "cores");
        report.Add("first_rate_failed", broke?.TargetRate, "msg/s");
        report.Add("steps_repeated", retried);
        report.Add("failed_because", broke is null ? "max-rate reached" :
            broke.Errors > 0 || broke.Lost > 0 ? $"errors {broke.Errors}, lost {broke.Lost}: {broke.FirstError}" :
            broke.DeliveriesPerSecond < 0.95 * broke.TargetRate ? $"only {broke.DeliveriesPerSecond:0}/s arrived in time" :
            $"p99 {broke.Latency.P99Ms} ms > {_p99BoundMs} ms");
    }

    private bool Holds(LoadStepResult step, double rate) =>
        step.Latency.P99Ms is { } p99 && p99 <= _p99BoundMs && step.Lost == 0 && step.Errors == 0 &&
        step.DeliveriesPerSecond >= 0.95 * rate;
}
