using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Presence;

/// <summary>
/// Asks for the sweep of gone edges every period, from every silo: the sweep is one grain, so whichever silos are up
/// keep it going, and a silo lost takes no schedule with it (a grain timer would die with the sweeper's silo until
/// something called it again).
/// </summary>
internal sealed class EdgeSweepService(IGrainFactory grains, IOptions<PresenceOptions> options, ILogger<EdgeSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.SweepPeriod;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, stoppingToken);
                await grains.GetGrain<IEdgeSweeper>(0).Sweep();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A silo starting or stopping, the store away: the next period tries again.
                logger.LogDebug(e, "Sweep of gone edges failed");
            }
        }
    }
}
