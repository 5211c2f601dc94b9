using ImActors.Grains.Conversations;
using ImActors.Grains.Edges;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Groups;
using ImActors.Grains.Inbox;
using ImActors.Grains.Presence;
using ImActors.Grains.Push;
using ImActors.Grains.Store;
using ImActors.Grains.Users;
using ImActors.Grains.Webhooks;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Everything the grains need on a silo: the message store (every store call goes through <see cref="StoreConnection"/>).
    /// The host configures clustering itself (production uses Redis clustering on the same store).
    /// </summary>
    public static ISiloBuilder AddImActorsGrains(this ISiloBuilder silo, string redisConnectionString, IConfiguration? configuration = null)
    {
        var redisOptions = ConfigurationOptions.Parse(redisConnectionString);
        silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(ConnectionOptions(redisOptions)));
        // A host whose store does not commit before it replies (the embedded Garnet) registers its own commit and
        // script runner first.
        var replicas = configuration?.GetSection(StoreShapeOptions.Section).Get<ReplicaWaitOptions>() ?? new ReplicaWaitOptions();
        if (replicas.WaitReplicas > 0)
        {
            silo.Services.TryAddSingleton<IStoreCommit>(sp =>
                new ReplicaAcknowledgement(sp.GetRequiredService<IConnectionMultiplexer>(), replicas.WaitReplicas, replicas.WaitTimeout));
        }

        silo.Services.TryAddSingleton<IStoreCommit, NoCommitWait>();
        if (configuration?.GetValue<bool>("Admin:Dashboard") == true)
        {
            // What the Orleans dashboard shows is collected on each silo; the edges' admin listeners serve the page (decision 128).
            silo.AddDashboard();
        }

        silo.Services.TryAddSingleton<IStoreScripts>(sp => new ConnectionScripts(sp.GetRequiredService<IConnectionMultiplexer>()));
        silo.Services.AddSingleton<StoreConnection>();
        silo.Services.AddSingleton<EventOutbox>();
        silo.Services.AddSingleton<GrainRefs>();
        silo.Services.AddSingleton<EdgeEndpoints>();
        silo.Services.AddSingleton<EdgeDirectoryStore>();
        silo.Services.AddSingleton<InboxLog>();
        silo.Services.AddSingleton<ConversationStore>();
        silo.Services.AddSingleton<SessionStore>();
        silo.Services.AddSingleton<BanStore>();
        silo.Services.AddSingleton<BlockStore>();
        silo.Services.AddSingleton<TokenStore>();
        silo.Services.AddSingleton(sp => new DevicePolicy(sp.GetRequiredService<IOptions<DeviceOptions>>().Value));
        silo.Services.AddSingleton<GroupStore>();
        silo.Services.AddSingleton<PresenceStore>();
        silo.Services.AddSingleton<PresenceTrackers>();
        silo.Services.AddHostedService<EdgeSweepService>();
        silo.Services.AddSingleton(TimeProvider.System);
        var inbox = silo.Services.AddOptions<InboxOptions>();
        var messaging = silo.Services.AddOptions<ConversationOptions>();
        var shape = silo.Services.AddOptions<StoreShapeOptions>();
        silo.Services.AddHostedService<StoreShapeCheck>();
        // A limit below one would sign out every device at once: refused at start, naming the key.
        var devices = silo.Services.AddOptions<DeviceOptions>().ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<DeviceOptions>, DeviceOptions.Check>();
        var presence = silo.Services.AddOptions<PresenceOptions>();
        var tokens = silo.Services.AddOptions<TokenOptions>();
        var events = silo.Services.AddOptions<EventOptions>();
        if (configuration is not null)
        {
            events.Bind(configuration.GetSection(EventOptions.Section));
            inbox.Bind(configuration.GetSection(InboxOptions.Section));
            messaging.Bind(configuration.GetSection(ConversationOptions.Section));
            shape.Bind(configuration.GetSection(StoreShapeOptions.Section));
            devices.Bind(configuration.GetSection(DeviceOptions.Section));
            presence.Bind(configuration.GetSection(PresenceOptions.Section));
            tokens.Bind(configuration.GetSection(TokenOptions.Section));
        }

        // Decided here, at build time: with events off no stream provider runs at all (decision 109).
        var eventSettings = configuration?.GetSection(EventOptions.Section).Get<EventOptions>() ?? new EventOptions();
        if (eventSettings.Enabled)
        {
            silo.AddEventStream(eventSettings, ConnectionOptions(redisOptions));
        }

        silo.AddWebhooks(configuration);
        silo.AddOfflinePush(configuration);

        return silo;
    }

    private static ConfigurationOptions ConnectionOptions(ConfigurationOptions template)
    {
        var options = template.Clone();
        // Keep reconnecting in the background while the store is down; sends fail fast with a retryable error meanwhile.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        // Replies are read on the .NET thread pool rather than the client's own dedicated threads: one fewer
        // thread handing work to another per store call.
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
