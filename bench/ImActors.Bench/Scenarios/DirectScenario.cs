using System.Net;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>direct</c>: P pairs of users, each sender sending 1:1 to its partner, at R messages/s in all for T seconds,
/// optionally next to N extra idle connections (to show whether idle load makes the hot path collapse).
/// </summary>
public sealed class DirectScenario(DirectOptions options) : Scenario
{
    public override string Name => "direct";

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        var counters = new LoadCounters();
        await using var pairs = await PairSet.OpenAsync(target, options.Pairs, counters, cancellationToken);
        await using var idle = options.Idle == 0 ? null : await ConnectionSet.OpenAsync(
            target, RunIds.Users("idle", options.Idle), null, new LoadCounters(), 64, requireAll: true, cancellationToken);

        var step = await LoadStep.RunAsync(options.Rate, options.Duration, options.Warmup, options.Size, 1, pairs.Send, counters, servers.Processes, cancellationToken, options.Alloc);
        report.Add("pairs", options.Pairs);
        report.Add("idle_connections", options.Idle);
        report.Add("size_bytes", options.Size, "B");
        LoadStep.Report(report, step, "msg");
    }
}

/// <summary>P senders and P recipients; send number k goes from sender k mod P to its partner.</summary>
public sealed class PairSet : IAsyncDisposable
{
    private readonly ConnectionSet _senders;
    private readonly ConnectionSet _recipients;

    private PairSet(ConnectionSet senders, ConnectionSet recipients) => (_senders, _recipients) = (senders, recipients);

    /// <param name="sources">Source addresses to connect from, round robin (null: the OS picks); for edges with per-address limits on.</param>
    public static async Task<PairSet> OpenAsync(
        IBenchTarget target, int pairs, LoadCounters counters, CancellationToken cancellationToken, IReadOnlyList<IPAddress>? sources = null)
    {
        var senders = await ConnectionSet.OpenAsync(target, RunIds.Users("from", pairs), sources, counters, 32, requireAll: true, cancellationToken);
        // Recipients start one edge further round, so most pairs cross edges when there are several.
        var recipients = await ConnectionSet.OpenAsync(target, RunIds.Users("to", pairs), sources, counters, 32, requireAll: true, cancellationToken);
        return new PairSet(senders, recipients);
    }

    /// <summary>The recipient of pair <paramref name="pair"/>.</summary>
    public string Recipient(int pair) => _recipients.Connections[pair].User;

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
