using System.Net;
using ImActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace ImActors.Silo;

public static class SiloSetup
{
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
