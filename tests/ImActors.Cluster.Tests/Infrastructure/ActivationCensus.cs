using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>An Orleans client of the cluster under test that counts activations per silo, as an operator's tool would.</summary>
public sealed class ActivationCensus : IAsyncDisposable
{
    private readonly IHost _host;

    private ActivationCensus(IHost host) => _host = host;

    public static async Task<ActivationCensus> ConnectAsync(string redis, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = "imactors";
                    o.ClusterId = clusterId;
                });
                client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
            })
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return new ActivationCensus(host);
    }

    /// <summary>Activations of grain classes whose name contains <paramref name="grainType"/>, by silo port.</summary>
    public async Task<Dictionary<int, int>> CountByPortAsync(string grainType)
    {
        var management = _host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        return statistics
            .Where(s => s.GrainType.Contains(grainType, StringComparison.OrdinalIgnoreCase))
            .GroupBy(s => s.SiloAddress.Endpoint.Port)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
