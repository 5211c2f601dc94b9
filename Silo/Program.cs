using ImActors.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddImActorsSilo();
await builder.Build().RunAsync();
