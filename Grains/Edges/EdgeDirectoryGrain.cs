using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Presence;

namespace ImActors.Grains.Edges;

/// <summary>
/// Keeps one edge's delivery endpoint. Persisted (a few writes a minute per edge) so that after a silo
/// crash the registration is back at once instead of after the edge's next renewal: without it, user
/// grains would take every session of that edge as dead in the meantime.
/// </summary>
public sealed class EdgeDirectoryGrain(
    [PersistentState("edge", StorageNames.Edges)] IPersistentState<EdgeDirectoryState> state,
    PresenceStore presence,
    TimeProvider time) : Grain, IEdgeDirectoryGrain
{
    public async Task Register(IEdgeDelivery endpoint, Guid incarnation, TimeSpan lease)
    {
        if (state.State.Registration?.Incarnation != incarnation)
        {
            await presence.RegisterRunAsync(this.GetPrimaryKeyString(), incarnation);
        }

        state.State.Registration = new EdgeRegistration(endpoint, incarnation, time.GetUtcNow() + lease);
        await state.WriteStateAsync();
    }

    public async Task Unregister(Guid incarnation)
    {
        if (state.State.Registration?.Incarnation == incarnation)
        {
            state.State.Registration = null;
            await state.WriteStateAsync();
        }
    }

    public Task<EdgeRegistration?> Resolve()
    {
        var registration = state.State.Registration;
        return Task.FromResult(registration is not null && registration.LeaseExpiresAt >= time.GetUtcNow() ? registration : null);
    }
}

[GenerateSerializer, Alias("imactors.EdgeDirectoryState")]
public sealed class EdgeDirectoryState
{
    [Id(0)] public EdgeRegistration? Registration { get; set; }
}
