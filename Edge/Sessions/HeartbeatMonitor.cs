using ImActors.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Sessions;

/// <summary>
/// Closes connections that have been silent for three heartbeat intervals. One sweep over all
/// connections every half interval costs far less than a timer per connection at 100k connections.
/// </summary>
public sealed class HeartbeatMonitor(LocalConnections connections, IOptions<EdgeSettings> settings) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.Value.HeartbeatInterval;
        var limitMs = (long)(interval * 3).TotalMilliseconds;
        using var timer = new PeriodicTimer(interval / 2);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var connection in connections.All)
            {
                if (connection.SilentForMs > limitMs)
                {
                    connection.Close(ErrorCodes.HeartbeatTimeout, $"no frame for {limitMs} ms");
                }
            }
        }
    }
}
