using System.Diagnostics;
using System.Net;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>flood</c>: P pairs of well-behaved clients send 1:1 at R messages/s in all, measured twice in the same run: alone,
/// then while one more client floods one of the recipients at F times its per-connection message limit, reconnecting
/// whenever the edge closes it. The edges run with their default limits (the other scenarios turn limits off). What
/// the run shows is whether one abusive client moves the others' latency (issue target: p99 within 20%).
/// </summary>
public sealed class FloodScenario(FloodOptions options) : Scenario
{
    // The edge's defaults (docs/operations.md, "Limits" and "Admission"), set explicitly: the tool turns limits off for
    // every other scenario, and a default changed later should not silently change what this one measures.
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

        var alone = await LoadStep.RunAsync(options.Rate, options.Duration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);

        var flooder = new Flooder(imactors, pairs.Recipient(0), options.Factor * MessagesPerSecond, options.Size);
        using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flooding = flooder.RunAsync(stopFlood.Token);
        LoadStepResult flooded;
        try
        {
            flooded = await LoadStep.RunAsync(options.Rate, options.Duration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken);
        }
        finally
        {
            await stopFlood.CancelAsync();
            await flooding;
        }

        report.Add("pairs", options.Pairs);
        report.Add("size_bytes", options.Size, "B");
        report.Add("flood_factor", options.Factor);
        report.Add("target_rate", options.Rate, "sends/s");
        report.Add("alone_p50_ms", alone.Latency.P50Ms, "ms");
        report.Add("alone_p99_ms", alone.Latency.P99Ms, "ms");
        report.Add("alone_p999_ms", alone.Latency.P999Ms, "ms");
        report.Add("flooded_p50_ms", flooded.Latency.P50Ms, "ms");
        report.Add("flooded_p99_ms", flooded.Latency.P99Ms, "ms");
        report.Add("flooded_p999_ms", flooded.Latency.P999Ms, "ms");
        report.Add("p99_ratio", alone.Latency.P99Ms is > 0 and var before && flooded.Latency.P99Ms is { } after ? Math.Round(after / before, 3) : null);
        report.Add("alone_lost", alone.Lost);
        report.Add("flooded_lost", flooded.Lost);
        report.Add("well_behaved_errors", alone.Errors + flooded.Errors);
        report.Add("first_error", flooded.FirstError ?? alone.FirstError);
        report.Add("alone_server_cores", Math.Round(alone.ServerCores, 3), "cores");
        report.Add("flooded_server_cores", Math.Round(flooded.ServerCores, 3), "cores");
        report.Add("flooder_attempted_per_s", Math.Round(flooder.Attempted / flooder.Seconds), "sends/s");
        report.Add("flooder_acked_per_s", Math.Round(flooder.Counters.Acked / flooder.Seconds, 1), "sends/s");
        report.Add("flooder_refusals", flooder.Counters.Errors);
        report.Add("flooder_connects", flooder.Connects);
        report.Add("flooder_connects_refused", flooder.ConnectsRefused);
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
