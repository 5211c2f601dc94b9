using Microsoft.Extensions.Configuration;
using ImActors.Silo;
using ImActors.Silo.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
var store = builder.Configuration.GetSection(StoreSettings.Section).Get<StoreSettings>() ?? new StoreSettings();
var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();

if (store.IsEmbedded)
{
    builder.Services.Configure<StoreSettings>(builder.Configuration.GetSection(StoreSettings.Section));
    builder.Services.AddHostedService<EmbeddedGarnet>();
}

builder.UseOrleans(silo => silo.ConfigureImActorsSilo(cluster, store.ConnectionString, builder.Configuration));
await builder.Build().RunAsync();
