using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Presence;

/// <summary>The sweep of gone edges, one grain for the cluster (key 0), so sweeps asked by several silos run one after another.</summary>
[Alias("imactors.IEdgeSweeper")]
public interface IEdgeSweeper : IGrainWithIntegerKey
{
    [Alias("Sweep")]
    Task Sweep();
}

/// <summary>
/// Finds runs of edges that are gone (lease lapsed, unregistered, or replaced by a newer run of the same edge) and tells
/// each user with a session there to drop it, which takes them offline after the grace. This is how a crashed edge's
/// users go offline without a timer per online user: the cost is one roster entry per (user, edge run) in the store,
/// written when a user's first session on that run starts, and one sweep per period for the whole cluster.
/// </summary>
internal sealed class EdgeSweeperGrain(
    PresenceStore store, GrainRefs grains, IOptions<PresenceOptions> options, TimeProvider time, ILogger<EdgeSweeperGrain> logger) : Grain, IEdgeSweeper
{
    // Graces closed per sweep at most: a silo lost with many users in their grace is worked off over a few sweeps.
    private const int MaxLapsedGraces = 1000;

    public async Task Sweep()
    {
        await SweepRunsAsync();
        await SweepGracesAsync();
    }

    /// <summary>
    /// Graces whose end is a sweep period past and still in the store: their timer went with a lost silo, so nothing
    /// would report <c>user.offline</c>. The user's grain is asked to (a live timer, or a session back, makes it a no-op).
    /// </summary>
    private async Task SweepGracesAsync()
    {
        var users = await store.LapsedGracesAsync(time.GetUtcNow() - options.Value.SweepPeriod, MaxLapsedGraces);
        foreach (var user in users)
        {
            await grains.Get<IUserSessionCheck>(user).CheckGrace();
        }

        if (users.Length > 0)
        {
            logger.LogInformation("Asked {Count} users whose offline grace lapsed unclosed to report offline", users.Length);
        }
    }

    private async Task SweepRunsAsync()
    {
        foreach (var (run, edge) in await store.RunsAsync())
        {
            var registration = await grains.Get<IEdgeDirectoryGrain>(edge).Resolve();
            if (registration is not null && registration.Incarnation == run)
            {
                continue;
            }

            var users = await store.RosterAsync(run);
            var foundAt = time.GetUtcNow();
            foreach (var user in users)
            {
                await grains.Get<IUserSessionCheck>(user).CheckSessions(edge, foundAt);
            }

            await store.ForgetRunAsync(run);
            if (users.Length > 0)
            {
                logger.LogInformation("Edge {EdgeId} run {Run} is gone; told {Count} users to drop its sessions", edge, run, users.Length);
            }
        }
    }
}
