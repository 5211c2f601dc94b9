using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Store;
using Orleans.Serialization;
using StackExchange.Redis;

namespace ImActors.Grains.Edges;

/// <summary>
/// One edge's registration in the message store, through <see cref="StoreConnection"/> like every other store call, so
/// that a store outage reaches the edge as <see cref="Interfaces.Messages.StoreUnavailableException"/>. Orleans' Redis
/// grain storage did this job before and let its own exception type travel to the edge, whose Orleans client could
/// not load that type: the response was unreadable and the edge's calls through that gateway went unanswered for
/// minutes after the store came back (decision 99).
/// </summary>
public sealed class EdgeDirectoryStore(StoreConnection store, Serializer<EdgeRegistration> serializer)
{
    // Long after any lease: only a key of an edge id that is never used again expires.
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    public async Task<EdgeRegistration?> LoadAsync(string edgeId)
    {
        var stored = await store.Run(db => db.StringGetAsync(Key(edgeId)));
        // The endpoint is a reference to the edge's observer: Orleans' serializer is what can write and read one.
        return stored.IsNull ? null : serializer.Deserialize((byte[])stored!);
    }

    public Task SaveAsync(string edgeId, EdgeRegistration registration) =>
        store.Run(db => db.StringSetAsync(Key(edgeId), serializer.SerializeToArray(registration), KeepFor));

    public Task DeleteAsync(string edgeId) => store.Run(db => db.KeyDeleteAsync(Key(edgeId)));

    private static RedisKey Key(string edgeId) => $"im:edge:{{{edgeId}}}";
}
