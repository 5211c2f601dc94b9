using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace ImActors.Grains.Push;

/// <summary>The offline push's consumer of one queue's stream (keyed like the stream, "q&lt;n&gt;"); no caller but the stream.</summary>
[Alias("imactors.IOfflinePushGrain")]
public interface IOfflinePushGrain : IGrainWithStringKey;

/// <summary>
/// Posts a notice to the push endpoint for messages stored for a user with no device connected (decision 111), beside
/// the webhooks, subscribed implicitly to the same stream. With no window each message's notice is posted before the
/// event counts delivered, so a silo lost meanwhile posts it again (same id). With a window the notices wait in memory
/// for the window's end: a silo lost within a window loses that window's notices, never a message (it is in the inbox).
/// </summary>
[EventConsumer(typeof(OfflinePushConfigured))]
public sealed class OfflinePushGrain(OfflinePush push, ILogger<OfflinePushGrain> logger)
    : Grain, IOfflinePushGrain, IStreamSubscriptionObserver, IAsyncObserver<ImEvent>
{
    private readonly PendingNotices _pending = new();

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<ImEvent>().ResumeAsync(this);

    public async Task OnNextAsync(ImEvent item, StreamSequenceToken? token = null)
    {
        if (OfflineNotices.RecipientOf(item) is not { } user || !await HasNoDeviceAsync(user))
        {
            return;
        }

        if (push.Options.Window == TimeSpan.Zero)
        {
            await push.PostAsync(OfflineNotices.Notice(item, 1));
        }
        else if (_pending.Add(user, item))
        {
            // One timer per open window, gone when it fires: nothing runs for users without pending messages.
            this.RegisterGrainTimer(() => FlushAsync(user), push.Options.Window, Timeout.InfiniteTimeSpan);
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The timers go with the activation: what they would have posted is posted now.
        foreach (var user in _pending.Users)
        {
            await FlushAsync(user);
        }
    }

    private async Task FlushAsync(string user)
    {
        if (_pending.Take(user) is not { } notice)
        {
            return;
        }

        // Asked again: a user who connected within the window got the messages by syncing and needs no notice.
        if (await HasNoDeviceAsync(user))
        {
            await push.PostAsync(notice);
        }
    }

    private async Task<bool> HasNoDeviceAsync(string user)
    {
        try
        {
            return await push.HasNoDeviceAsync(user);
        }
        catch (Exception e)
        {
            // Presence unknown: a notice too many beats a user never told of a message.
            logger.LogWarning(e, "Presence of {UserId} unknown for the offline push; pushing", user);
            return true;
        }
    }
}

/// <summary>The offline push consumes the stream only where a push URL is configured.</summary>
internal sealed class OfflinePushConfigured : IEventConsumerSwitch
{
    public bool IsOn(IServiceProvider services) => services.GetRequiredService<IOptions<PushOptions>>().Value.Enabled;
}
