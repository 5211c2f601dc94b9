using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace ImActors.Grains.Webhooks;

/// <summary>The webhooks' consumer of one queue's stream (keyed like the stream, "q&lt;n&gt;"); no caller but the stream.</summary>
[Alias("imactors.IWebhookGrain")]
public interface IWebhookGrain : IGrainWithStringKey;

/// <summary>
/// The first consumer of the event stream (decision 110): one activation per queue, subscribed implicitly, taking its
/// queue's events one at a time, in order. An event is done once every URL took it or it was dead-lettered, so the
/// stream counts it delivered only then; a silo lost before that redelivers it (receivers deduplicate on the id).
/// </summary>
[EventConsumer(typeof(WebhooksConfigured))]
public sealed class WebhookGrain(WebhookSender sender) : Grain, IWebhookGrain, IStreamSubscriptionObserver, IAsyncObserver<ImEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<ImEvent>().ResumeAsync(this);

    public Task OnNextAsync(ImEvent item, StreamSequenceToken? token = null) => sender.DeliverAsync(item);

    public Task OnCompletedAsync() => Task.CompletedTask;

    // Errors of the stream itself (not of a receiver, which the sender handles) are Orleans' to log.
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>The webhooks consume the stream only where a URL is configured.</summary>
internal sealed class WebhooksConfigured : IEventConsumerSwitch
{
    public bool IsOn(IServiceProvider services) => services.GetRequiredService<IOptions<WebhookOptions>>().Value.Urls.Count > 0;
}
