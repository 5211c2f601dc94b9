using System.Net;
using ImActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace ImActors.Silo;

public static class SiloSetup
{
    /// <summary>Clustering, membership timing and grains: shared by the host and the test cluster.</summary>
    public static ISiloBuilder ConfigureImActorsSilo(
        this ISiloBuilder silo, ClusterSettings cluster, string redisConnectionString, IConfiguration? configuration = null)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = ClusterSettings.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedIp), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
        silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redisConnectionString));
        silo.AddImActorsGrains(redisConnectionString, configuration);
        return silo;
    }
}
