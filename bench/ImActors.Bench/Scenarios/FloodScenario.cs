using System.Diagnostics;
using System.Net;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Measurement;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>flood</c>: P pairs of well-behaved clients send 1:1 at R messages/s in all, measured in the same run alone and
/// while one more client floods one of the recipients at F times its per-connection message limit, reconnecting
/// whenever the edge closes it; <c>--rounds</c> pairs of phases, alternating, each side's figure their median. The edges run with their default limits (the other scenarios turn limits off). What
/// the run shows is whether one abusive client moves the others' latency (issue target: p99 within 20%).
/// </summary>
public sealed class FloodScenario(FloodOptions options) : Scenario
{
    // The edge's and the inbox's defaults (docs/operations.md, "Limits", "Admission" and "Inbox"), set explicitly: the
    // tool turns limits off for every other scenario, and a default changed later should not silently change what this
    // one measures.
    private const double MessagesPerSecond = 20;

    // Well-behaved clients come from 127.0.0.11 and up, at most this many from one address (within the default connect
    // burst of 100, so opening them is not rate-limited); the flooder from an address of its own.
    private const int ClientsPerAddress = 100;
    private static readonly IPAddress FlooderAddress = IPAddress.Parse("127.0.0.250");

    public override string Name => "flood";

    public override IReadOnlyList<string> ServerSettings =>
    [
        $"Limits:MessagesPerSecond={MessagesPerSecond}", "Limits:MessageBurst=50",
        "Limits:BytesPerSecond=262144", "Limits:ByteBurst=1048576",
        "Limits:RequestsPerSecond=20", "Limits:RequestBurst=200",
        "Limits:UserMessagesPerSecond=50", "Limits:UserMessageBurst=100",
        "Limits:UserBytesPerSecond=1048576", "Limits:UserByteBurst=4194304",
        "Limits:RefusalsBeforeClose=20",
        "Admission:MaxConnectionsPerAddress=500", "Admission:ConnectsPerSecondPerAddress=20", "Admission:ConnectBurstPerAddress=100",
        "Inbox:MaxUnreadPerSender=1000",
    ];

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget { Name: "imactors" or "imactors-node" } imactors)
        {
            throw new BenchUsageException("flood runs against --target imactors or imactors-node only (the peer has no limits to test)");
        }

        var addresses = (int)Math.Ceiling(2.0 * options.Pairs / ClientsPerAddress);
        var sources = Enumerable.Range(11, addresses).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToList();
        var counters = new LoadCounters();
        await using var pairs = await PairSet.OpenAsync(target, options.Pairs, counters, cancellationToken, sources);

        // Phases alternate alone, flooded, flooded, alone, ... so that what drifts over the run (the JIT, the store's
        // growth, a neighbour's load) falls on both sides alike; each side's figure is the median of its phases.
        var alone = new List<LoadStepResult>();
        var flooded = new List<LoadStepResult>();
        var flooders = new List<Flooder>();
        for (var phase = 0; phase < 2 * options.Rounds; phase++)
        {
            var withFlood = phase % 4 is 1 or 2;
            if (!withFlood)
            {
                alone.Add(await RunPhaseAsync());
                AddRow("alone", alone[^1]);
                continue;
            }

            var flooder = new Flooder(imactors, pairs.Recipient(0), options.Factor * MessagesPerSecond, options.Size);
            flooders.Add(flooder);
            using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var flooding = flooder.RunAsync(stopFlood.Token);
            try
            {
                flooded.Add(await RunPhaseAsync());
                AddRow("flooded", flooded[^1]);
            }
            finally
            {
                await stopFlood.CancelAsync();
                await flooding;
            }
        }

        Task<LoadStepResult> RunPhaseAsync() =>
            LoadStep.RunAsync(options.Rate, options.Duration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);

        // A row per phase, in the order they ran.
        void AddRow(string phase, LoadStepResult result) =>
            report.AddStep(new Dictionary<string, object?> { ["phase"] = phase }.Concat(result.ToRow()).ToDictionary());

        var (aloneP99, floodedP99) = (Median(alone, l => l.P99Ms), Median(flooded, l => l.P99Ms));
        report.Add("pairs", options.Pairs);
        report.Add("size_bytes", options.Size, "B");
        report.Add("flood_factor", options.Factor);
        report.Add("rounds", options.Rounds);
        report.Add("target_rate", options.Rate, "sends/s");
        report.Add("alone_p50_ms", Median(alone, l => l.P50Ms), "ms");
        report.Add("alone_p99_ms", aloneP99, "ms");
        report.Add("alone_p999_ms", Median(alone, l => l.P999Ms), "ms");
        report.Add("flooded_p50_ms", Median(flooded, l => l.P50Ms), "ms");
        report.Add("flooded_p99_ms", floodedP99, "ms");
        report.Add("flooded_p999_ms", Median(flooded, l => l.P999Ms), "ms");
        report.Add("p99_ratio", aloneP99 is > 0 && floodedP99 is { } after ? Math.Round(after / aloneP99.Value, 3) : null);
        report.Add("alone_lost", alone.Sum(r => r.Lost));
        report.Add("flooded_lost", flooded.Sum(r => r.Lost));
        report.Add("well_behaved_errors", alone.Concat(flooded).Sum(r => r.Errors));
        report.Add("first_error", flooded.Concat(alone).Select(r => r.FirstError).FirstOrDefault(e => e is not null));
        report.Add("alone_server_cores", Math.Round(alone.Average(r => r.ServerCores), 3), "cores");
        report.Add("flooded_server_cores", Math.Round(flooded.Average(r => r.ServerCores), 3), "cores");
        var floodSeconds = flooders.Sum(f => f.Seconds);
        report.Add("flooder_attempted_per_s", Math.Round(flooders.Sum(f => f.Attempted) / floodSeconds), "sends/s");
        report.Add("flooder_acked_per_s", Math.Round(flooders.Sum(f => f.Counters.Acked) / floodSeconds, 1), "sends/s");
        report.Add("flooder_refusals", flooders.Sum(f => f.Counters.Errors));
        report.Add("flooder_connects", flooders.Sum(f => f.Connects));
        report.Add("flooder_connects_refused", flooders.Sum(f => f.ConnectsRefused));
    }

    /// <summary>The median of the phases' figure; phases without one (nothing measured) are left out.</summary>
    private static double? Median(List<LoadStepResult> phases, Func<LatencySummary, double?> figure)
    {
        var values = phases.Select(p => figure(p.Latency)).OfType<double>().Order().ToList();
        return values.Count == 0 ? null : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>One client sending as fast as told, whatever the answers, and connecting again each time it is closed.</summary>
    private sealed class Flooder(ImActorsTarget target, string victim, double rate, int size)
    {
        private readonly Stopwatch _clock = new();

        public LoadCounters Counters { get; } = new();

        public long Attempted { get; private set; }

        public int Connects { get; private set; }

        public int ConnectsRefused { get; private set; }

        public double Seconds => Math.Max(0.001, _clock.Elapsed.TotalSeconds);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            ProtocolConnection? connection = null;
            _clock.Start();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (connection is not { IsOpen: true })
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                        }

                        connection = await TryConnectAsync(cancellationToken);
                        if (connection is null)
                        {
                            continue;
                        }
                    }

                    // Paced by the clock, not by a timer's period: whatever a 10 ms sleep overslept is made up.
                    var due = (long)(rate * _clock.Elapsed.TotalSeconds);
                    for (; Attempted < due && connection.IsOpen; Attempted++)
                    {
                        connection.SendDirect(victim, MessageStamp.Create(size, Stopwatch.GetTimestamp(), measured: false));
                    }

                    await Task.Delay(10, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                _clock.Stop();
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }

        private async Task<ProtocolConnection?> TryConnectAsync(CancellationToken cancellationToken)
        {
            try
            {
                var connection = await target.ConnectProtocolAsync("flooder", 0, FlooderAddress, Counters, cancellationToken);
                Connects++;
                return connection;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HelloRefusedException)
            {
                ConnectsRefused++;
                await Task.Delay(50, cancellationToken);
                return null;
            }
        }
    }
}
