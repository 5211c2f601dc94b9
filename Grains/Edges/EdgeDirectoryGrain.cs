using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Presence;

namespace ImActors.Grains.Edges;

/// <summary>
/// Keeps one edge's delivery endpoint. Stored (a few writes a minute per edge) so that after a silo
/// crash the registration is back at once instead of after the edge's next renewal: without it, user
/// grains would take every session of that edge as dead in the meantime.
/// </summary>
public sealed class EdgeDirectoryGrain(EdgeDirectoryStore store, PresenceStore presence, TimeProvider time) : Grain, IEdgeDirectoryGrain
{
    private EdgeRegistration? _registration;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _registration = await store.LoadAsync(this.GetPrimaryKeyString());

    public async Task Register(IEdgeDelivery endpoint, Guid incarnation, TimeSpan lease)
    {
        if (_registration?.Incarnation != incarnation)
        {
            // A new run of the edge: recorded so that, once it is gone, the sweep finds its users (decision 95).
            await presence.RegisterRunAsync(this.GetPrimaryKeyString(), incarnation);
        }

        var registration = new EdgeRegistration(endpoint, incarnation, time.GetUtcNow() + lease);
        // Remembered only once stored: a renewal the store refused is retried by the edge, and must not be answered
        // from memory by a silo that would lose it in a crash.
        await store.SaveAsync(this.GetPrimaryKeyString(), registration);
        _registration = registration;
    }

    public async Task Unregister(Guid incarnation)
    {
        if (_registration?.Incarnation == incarnation)
        {
            await store.DeleteAsync(this.GetPrimaryKeyString());
            _registration = null;
        }
    }

    public Task<EdgeRegistration?> Resolve()
    {
        var registration = _registration;
        return Task.FromResult(registration is not null && registration.LeaseExpiresAt >= time.GetUtcNow() ? registration : null);
    }
}
