using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Presence;
using ImActors.Grains.Store;
using ImActors.Grains.Users;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The outbox scripts on the single node's store, embedded Garnet, running in-process as a silo runs them: the stream
/// hears online and offline alternately, whatever reconnects and repeated graces do.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class OutboxOnEmbeddedStoreTests : IAsyncLifetime
{
    private readonly EmbeddedStore _store = new();
    private ConnectionMultiplexer _mux = null!;
    private readonly EventOutbox _outbox = new(Options.Create(new EventOptions { Enabled = true }), Options.Create(new StoreShapeOptions()));

    public async Task InitializeAsync()
    {
        await _store.StartAsync();
        _mux = await ConnectionMultiplexer.ConnectAsync(_store.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _mux.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task OnlineAndOffline_Alternate_ThroughReconnectsAndRepeatedGraces()
    {
        var store = _store.Connect(_mux);
        var (sessions, presence) = (new SessionStore(store, _outbox), new PresenceStore(store, _outbox));
        var user = "ivy-" + Guid.NewGuid().ToString("N")[..6];
        SessionInfo Session(string device) => new(device, "web", "edge-1", Guid.NewGuid(), 1, DateTimeOffset.UtcNow);

        await sessions.ConnectAsync(user, Session("a"));
        await sessions.ConnectAsync(user, Session("b"));          // a second device: no change
        await presence.ReportOfflineAsync(user, DateTimeOffset.UtcNow);
        await presence.ReportOfflineAsync(user, DateTimeOffset.UtcNow); // a grace ended twice (a deactivation): once
        await sessions.ConnectAsync(user, Session("a"));

        var written = (await _mux.GetDatabase().ListRangeAsync(_outbox.ListOf(user)))
            .Select(e => EventJson.Deserialize((string)e!)).Where(e => e.User == user).ToList();
        Assert.Equal([EventTypes.UserOnline, EventTypes.UserOffline, EventTypes.UserOnline], written.Select(e => e.Type));
        Assert.Equal(3, written.Select(e => e.Id).Distinct().Count());
    }
}
