using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImActors.Edge.Delivery;
using ImActors.Protocol;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Metrics;

/// <summary>
/// The edge's own instruments (meter <c>ImActors.Edge</c>), served with Orleans', the runtime's and Kestrel's at
/// <c>/metrics</c> on the admin listener (<see cref="MetricsSetup"/>). Tags are bounded sets (a transport, a protocol
/// code, a kind), never a user, a device or a group: one series per user would grow with the users.
/// </summary>
public sealed class EdgeMetrics
{
    public const string MeterName = "ImActors.Edge";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _hellos;
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _ackLatency;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _notReady;
    private long _refusals;

    public EdgeMetrics(IMeterFactory meters, DeliveryStats deliveries, IOptions<EdgeSettings> settings)
    {
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("imactors.edge.connections", "{connection}", "Open client connections, by transport");
        var limit = Math.Max(0, settings.Value.MaxConnections);
        // Beside the open count, so a dashboard or alert shows how full the edge is; refusals when full count as
        // imactors.edge.connections.closed with code 503.
        meter.CreateObservableGauge(
            "imactors.edge.connections.limit", () => limit, "{connection}", "Edge:MaxConnections, over every transport (0: no limit)");
        _closed = meter.CreateCounter<long>(
            "imactors.edge.connections.closed", "{connection}", "Connections the edge closed, by the protocol code it gave (507: send queue overflow)");
        _hellos = meter.CreateCounter<long>("imactors.edge.hellos", "{hello}", "Hellos answered, by result and by the refusal's code");
        _sends = meter.CreateCounter<long>("imactors.edge.sends", "{message}", "send frames answered, by conversation kind and result");
        _ackLatency = meter.CreateHistogram<double>(
            "imactors.edge.ack.duration", "ms", "From a send frame read to its ACK queued: the grain call and the store's commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 10000] });
        _rateLimited = meter.CreateCounter<long>("imactors.edge.rate_limited", "{frame}", "Frames refused with 429, by the limit they hit");
        _retries = meter.CreateCounter<long>("imactors.edge.cluster.retries", "{retry}", "Grain calls the edge attempted again after a transient failure");
        _notReady = meter.CreateCounter<long>(
            "imactors.edge.readiness.refusals", "{connection}",
            "New connections turned away while the edge was not ready (decision 125), by transport and by what failed: store, cluster");
        meter.CreateObservableCounter("imactors.edge.pushes", () => new[]
        {
            new Measurement<long>(deliveries.DirectPushes, new KeyValuePair<string, object?>("kind", "direct")),
            new Measurement<long>(deliveries.GroupPushes, new KeyValuePair<string, object?>("kind", "group")),
            new Measurement<long>(deliveries.Notices, new KeyValuePair<string, object?>("kind", "notice")),
            new Measurement<long>(deliveries.PresencePushes, new KeyValuePair<string, object?>("kind", "presence")),
        }, "{push}", "Pushes the cluster made to this edge: one per edge per group message, whatever the members here");
        meter.CreateObservableCounter(
            "imactors.edge.frames_queued", () => deliveries.FramesQueued, "{frame}", "Frames that pushes queued on client connections (the fan-out here)");
    }

    internal void Opened(string transport) => _connections.Add(1, new KeyValuePair<string, object?>("transport", transport));

    internal void Ended(string transport, int closeCode)
    {
        _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport));
        if (closeCode > 1)
        {
            _closed.Add(1, new KeyValuePair<string, object?>("code", closeCode));
        }
    }

    internal void HelloAccepted() => _hellos.Add(1, new KeyValuePair<string, object?>("result", "accepted"));

    /// <summary>Hellos refused since the start: part of the load this edge reports for edge selection.</summary>
    internal long Refusals => Interlocked.Read(ref _refusals);

    internal void HelloRefused(int code)
    {
        Interlocked.Increment(ref _refusals);
        _hellos.Add(1, new KeyValuePair<string, object?>("result", "refused"), new KeyValuePair<string, object?>("code", code));
    }

    internal void Acked(bool group, long startedAt)
    {
        _sends.Add(1, Kind(group), new KeyValuePair<string, object?>("result", "acked"));
        _ackLatency.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, Kind(group));
    }

    internal void SendFailed(bool group, int code) =>
        _sends.Add(1, Kind(group), new KeyValuePair<string, object?>("result", ErrorCodes.NameOf(code)));

    internal void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    internal void Retried() => _retries.Add(1);

    /// <param name="cause">A bounded word (<see cref="Health.EdgeReadiness.Cause"/>), never the check's message.</param>
    internal void RefusedNotReady(string transport, string cause) =>
        _notReady.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("reason", cause));

    private static KeyValuePair<string, object?> Kind(bool group) => new("conversation", group ? "group" : "direct");
}
