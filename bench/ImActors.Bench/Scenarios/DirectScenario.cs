using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>direct</c>: P pairs of users, each sender sending 1:1 to its partner, at R messages/s in all for T seconds,
/// optionally next to N extra idle connections (to show whether idle load makes the hot path collapse).
/// </summary>
public sealed class DirectScenario : Scenario
{
    private int _pairs;
    private double _rate;
    private TimeSpan _duration;
    private TimeSpan _warmup;
    private int _size;
    private int _idle;
    private bool _alloc;

    public override string Name => "direct";

    public override void ReadOptions(BenchArguments args)
    {
        _pairs = args.Int("pairs", 200);
        _rate = args.Double("rate", 1000, 1, 1_000_000);
        _duration = TimeSpan.FromSeconds(args.Double("duration", 10, 0.5, 3600));
        _warmup = TimeSpan.FromSeconds(args.Double("warmup", SteadyStateWarmupSeconds, 0, 600));
        _size = args.Int("size", 100, MessageStamp.MinSize, 60_000);
        _idle = args.Int("idle", 0, 0, 19_000);
        _alloc = args.Has("alloc");
    }

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        var counters = new LoadCounters();
        await using var pairs = await PairSet.OpenAsync(target, _pairs, counters, cancellationToken);
        await using var idle = _idle == 0 ? null : await ConnectionSet.OpenAsync(
            target, RunIds.Users("idle", _idle), null, new LoadCounters(), 64, requireAll: true, cancellationToken);

        var step = await LoadStep.RunAsync(_rate, _duration, _warmup, _size, 1, pairs.Send, counters, servers.Processes, cancellationToken, _alloc);
        report.Add("pairs", _pairs);
        report.Add("idle_connections", _idle);
        report.Add("size_bytes", _size, "B");
        LoadStep.Report(report, step, "msg");
    }
}

/// <summary>P senders and P recipients; send number k goes from sender k mod P to its partner.</summary>
public sealed class PairSet : IAsyncDisposable
{
    private readonly ConnectionSet _senders;
    private readonly ConnectionSet _recipients;

    private PairSet(ConnectionSet senders, ConnectionSet recipients) => (_senders, _recipients) = (senders, recipients);

    public static async Task<PairSet> OpenAsync(IBenchTarget target, int pairs, LoadCounters counters, CancellationToken cancellationToken)
    {
        var senders = await ConnectionSet.OpenAsync(target, RunIds.Users("from", pairs), null, counters, 32, requireAll: true, cancellationToken);
        // Recipients start one edge further round, so most pairs cross edges when there are several.
        var recipients = await ConnectionSet.OpenAsync(target, RunIds.Users("to", pairs), null, counters, 32, requireAll: true, cancellationToken);
        return new PairSet(senders, recipients);
    }

    public void Send(long index, byte[] body)
    {
        var pair = (int)(index % _senders.Connections.Count);
        _senders.Connections[pair].SendDirect(_recipients.Connections[pair].User, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _senders.DisposeAsync();
        await _recipients.DisposeAsync();
    }
}
