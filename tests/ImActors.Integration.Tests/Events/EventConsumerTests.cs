using ImActors.Grains.Events;
using ImActors.Grains.Push;
using ImActors.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;

namespace ImActors.Integration.Tests.Events;

/// <summary>
/// The built-in consumers subscribe to the event stream only where they have something to do (decision 135): the
/// grain binding a silo builds from <see cref="EventConsumerAttribute"/> with its configuration, or none.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class EventConsumerTests
{
    [Fact]
    public void Webhooks_SubscribeOnlyWithAUrl()
    {
        Assert.Empty(BindingsOf<WebhookGrain>(s => s.Configure<WebhookOptions>(_ => { })));
        var binding = Assert.Single(BindingsOf<WebhookGrain>(s => s.Configure<WebhookOptions>(o => o.Urls.Add("http://127.0.0.1:9/events"))));
        Assert.Equal(WellKnownGrainTypeProperties.StreamBindingTypeValue, binding[WellKnownGrainTypeProperties.BindingTypeKey]);
    }

    [Fact]
    public void OfflinePush_SubscribesOnlyWithAPushUrl()
    {
        Assert.Empty(BindingsOf<OfflinePushGrain>(s => s.Configure<PushOptions>(_ => { })));
        Assert.Single(BindingsOf<OfflinePushGrain>(s => s.Configure<PushOptions>(o => o.Url = "http://127.0.0.1:9/push")));
    }

    private static List<Dictionary<string, string?>> BindingsOf<TGrain>(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        using var provider = services.BuildServiceProvider();
        var attribute = typeof(TGrain).GetCustomAttributes(typeof(EventConsumerAttribute), inherit: false).Cast<EventConsumerAttribute>().Single();
        return attribute.GetBindings(provider, typeof(TGrain), GrainType.Create("test")).ToList();
    }
}
