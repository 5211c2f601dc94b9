using Microsoft.AspNetCore.SignalR;
using SignalRPeer;

// The SignalR peer of the benchmark: the .NET default for real-time apps, doing what ImActors does for
// 1:1 and group messages but holding nothing durable. Usage: SignalRPeer --port 7500
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var port = builder.Configuration.GetValue("port", 7500);
builder.WebHost.ConfigureKestrel(k =>
{
    k.ListenLocalhost(port);
    // Same cap as the ImActors edge, for the same reason: stay below the process's file limit.
    k.Limits.MaxConcurrentConnections = 18_000;
    k.Limits.MaxConcurrentUpgradedConnections = 18_000;
});
builder.Services.AddSignalR().AddMessagePackProtocol();
builder.Services.AddSingleton<IUserIdProvider, QueryUserIdProvider>();

var app = builder.Build();
app.MapHub<MessagingHub>("/hub");
app.MapGet("/health", () => "ok");
app.Run();
