using Orleans.Metadata;
using Orleans.Runtime;

namespace ImActors.Grains.Events;

/// <summary>Whether a built-in consumer of the event stream has anything to do with this silo's configuration.</summary>
public interface IEventConsumerSwitch
{
    bool IsOn(IServiceProvider services);
}

/// <summary>
/// Subscribes a grain implicitly to the event stream, as <see cref="ImplicitStreamSubscriptionAttribute"/> does, but
/// only where its <see cref="IEventConsumerSwitch"/> says it has something to do: a consumer with nothing configured
/// is not handed every event to drop (decision 135). Read when the silo starts, like any grain binding.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EventConsumerAttribute(Type consumerSwitch) : Attribute, IGrainBindingsProviderAttribute
{
    private readonly ImplicitStreamSubscriptionAttribute _subscription = new(Interfaces.Events.EventStreams.Namespace);

    public IEnumerable<Dictionary<string, string?>> GetBindings(IServiceProvider services, Type grainClass, GrainType grainType) =>
        ((IEventConsumerSwitch)Activator.CreateInstance(consumerSwitch)!).IsOn(services)
            ? _subscription.GetBindings(services, grainClass, grainType)
            : [];
}
