using ImActors.Samples.NotificationService;
using Microsoft.Extensions.Hosting;

// The silos must run with Events:Enabled=true. Settings from the environment or the command line, e.g.
// dotnet run --project samples/NotificationService -- --Store:Redis=127.0.0.1:6379 --Cluster:ClusterId=dev --Events:Queues=4
await Host.CreateApplicationBuilder(args).AddNotificationService().Build().RunAsync();
