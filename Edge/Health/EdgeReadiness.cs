using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Health;

/// <summary>
/// The edge's readiness as the connection gate reads it (decision 125): the ready checks of <c>/health/ready</c>, run
/// every <see cref="EdgeSettings.ReadinessInterval"/> in the background, so that admitting a connection costs a field
/// read, never a grain call. Ready until proven otherwise, and not ready only after <see cref="FailuresBeforeRefusing"/>
/// failed probes in a row: one probe that times out on a loaded machine must not turn clients away.
/// </summary>
public sealed class EdgeReadiness(HealthCheckService health, IOptions<EdgeSettings> settings, ILogger<EdgeReadiness> logger) : BackgroundService
{
    public const int FailuresBeforeRefusing = 2;

    private volatile string? _notReady;
    private volatile string _cause = "unknown";
    private int _failures;

    public bool IsReady => _notReady is null;

    /// <summary>Why the edge is not ready (what the failing check said); "ready" when it is.</summary>
    public string Reason => _notReady ?? "ready";

    /// <summary>
    /// What the last failed probe found, from a fixed set for the refusal metric's label: "store" or "cluster" as the
    /// cluster check reports them, otherwise the failing check's registered name. Never the check's words, which carry
    /// exception messages: one series per message would grow without bound.
    /// </summary>
    public string Cause => _cause;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.ReadinessInterval);
        try
        {
            do
            {
                await ProbeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.ReadyTag), cancellationToken);
        if (report.Status == HealthStatus.Healthy)
        {
            if (_notReady is not null)
            {
                logger.LogWarning("Ready again: taking new connections");
            }

            (_failures, _notReady) = (0, null);
            return;
        }

        var reason = report.Entries.Values.Select(e => e.Description).FirstOrDefault(d => d is not null) ?? "a readiness check failed";
        _cause = CauseOf(report);
        if (++_failures >= FailuresBeforeRefusing && _notReady is null)
        {
            logger.LogWarning("Not ready, refusing new connections: {Reason}", reason);
            _notReady = reason;
        }
        else if (_notReady is not null)
        {
            _notReady = reason;
        }
    }

    private static string CauseOf(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status == HealthStatus.Healthy)
            {
                continue;
            }

            if (entry.Data.TryGetValue("cluster", out var cluster) && "down".Equals(cluster))
            {
                return "cluster";
            }

            return entry.Data.TryGetValue("store", out var store) && "down".Equals(store) ? "store" : name;
        }

        return "unknown";
    }
}
