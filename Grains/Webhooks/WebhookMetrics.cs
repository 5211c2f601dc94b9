using System.Diagnostics.Metrics;

namespace ImActors.Grains.Webhooks;

/// <summary>
/// The meter <c>ImActors.Webhooks</c>: what operators watch beside the logs (operations.md). The webhooks count as
/// <c>imactors.webhooks.*</c>, the offline push as <c>imactors.push.*</c>.
/// </summary>
public sealed class WebhookMetrics(string name)
{
    public const string MeterName = "ImActors.Webhooks";

    private static readonly Meter s_meter = new(MeterName);

    public WebhookMetrics()
        : this("webhooks")
    {
    }

    public readonly Counter<long> Delivered = s_meter.CreateCounter<long>($"imactors.{name}.delivered", description: "events a URL answered 2xx to");

    public readonly Counter<long> FailedAttempts = s_meter.CreateCounter<long>($"imactors.{name}.failed_attempts", description: "attempts that failed");

    public readonly Counter<long> DeadLettered = s_meter.CreateCounter<long>($"imactors.{name}.dead_lettered", description: "events given up on");
}
