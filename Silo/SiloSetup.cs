using System.Net;
using ImActors.Grains.Hosting;
using ImActors.Grains.Store;
using ImActors.Silo.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace ImActors.Silo;

public static class SiloSetup
{
    /// <summary>
    /// A silo in this host, configured from the "Store" and "Cluster" sections, with the embedded store
    /// started first when no Redis is configured. Used by the silo process and by the single-process node.
    /// </summary>
    public static IHostApplicationBuilder AddImActorsSilo(this IHostApplicationBuilder builder)
    {
        var store = builder.Configuration.GetSection(StoreSettings.Section).Get<StoreSettings>() ?? new StoreSettings();
        var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (store.IsEmbedded)
        {
            // Registered before Orleans: it starts first and stops last.
            builder.Services.Configure<StoreSettings>(builder.Configuration.GetSection(StoreSettings.Section));
            builder.Services.AddSingleton<EmbeddedGarnet>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedGarnet>());
            // The grains' scripts run in-process (decision 84), with or without the commit wait, so that measuring the
            // wait compares the same path.
            builder.Services.AddSingleton<IStoreScripts>(sp => new InProcessScripts(sp.GetRequiredService<EmbeddedGarnet>()));
            // Without it (Store:CommitWait=false, for measurement only) the grains' default applies: no wait.
            if (store.CommitWait)
            {
                // Commits start between the in-process scripts (decisions 79, 84).
                builder.Services.AddSingleton<IStoreCommit>(sp => sp.GetRequiredService<EmbeddedGarnet>().NewGroupCommit().StartBackground());
            }
        }
        else
        {
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<RedisDurabilityCheck>(sp, store.ConnectionString));
        }

        builder.UseOrleans(silo => silo.ConfigureImActorsSilo(cluster, store.ConnectionString, builder.Configuration));
        return builder;
    }

    /// <summary>The whole silo: identity, endpoints, then <see cref="AddImActorsCluster"/>.</summary>
    public static ISiloBuilder ConfigureImActorsSilo(
        this ISiloBuilder silo, ClusterSettings cluster, string redisConnectionString, IConfiguration? configuration = null)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = ClusterSettings.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedIp), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
        });
        return silo.AddImActorsCluster(redisConnectionString, configuration);
    }

    /// <summary>Redis clustering and the grains on the same store. The test cluster uses this part alone (it picks ports itself).</summary>
    public static ISiloBuilder AddImActorsCluster(this ISiloBuilder silo, string redisConnectionString, IConfiguration? configuration = null)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redisConnectionString));
        return silo.AddImActorsGrains(redisConnectionString, configuration);
    }
}
