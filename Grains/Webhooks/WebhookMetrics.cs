using System.Diagnostics.Metrics;

namespace ImActors.Grains.Webhooks;

/// <summary>The meter <c>ImActors.Webhooks</c>: what operators watch beside the logs (operations.md).</summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "ImActors.Webhooks";

    private static readonly Meter s_meter = new(MeterName);

    public readonly Counter<long> Delivered = s_meter.CreateCounter<long>("imactors.webhooks.delivered", description: "events a URL answered 2xx to");

    public readonly Counter<long> FailedAttempts = s_meter.CreateCounter<long>("imactors.webhooks.failed_attempts", description: "attempts that failed");

    public readonly Counter<long> DeadLettered = s_meter.CreateCounter<long>("imactors.webhooks.dead_lettered", description: "events given up on");
}
