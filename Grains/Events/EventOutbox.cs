using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Grains.Events;

/// <summary>
/// What the stores pass to a script so that it writes the step's event (decision 109): the outbox list of the entity
/// the step is about, and the event's draft. The draft is "" when events are off (the scripts then push nothing).
/// A step that learns seqs as it runs gets an open draft, the JSON without its closing brace, and the script closes it
/// with the seqs (<see cref="OutboxScripts.Emit"/>).
/// </summary>
public sealed class EventOutbox(IOptions<EventOptions> options, IOptions<StoreShapeOptions> shape)
{
    private readonly EventOptions _options = options.Value;

    /// <summary>Events off: what a store built without the options (a test's) writes.</summary>
    public static readonly EventOutbox Off = new(Microsoft.Extensions.Options.Options.Create(new EventOptions()),
        Microsoft.Extensions.Options.Options.Create(new StoreShapeOptions()));

    public OutboxKeys Keys { get; } = new(options.Value, shape.Value);

    public bool Enabled => _options.Enabled;

    /// <summary>
    /// The entity's outbox list. With events off the scripts still take a key, never written: one under the entity's
    /// own hash tag, so a step stays in one slot whatever the store's layout.
    /// </summary>
    public RedisKey ListOf(string entity) => Enabled ? Keys.ListOf(entity) : $"im:{{{entity}}}:events-off";

    /// <summary>The event's JSON, complete: for a step that adds nothing to it.</summary>
    public RedisValue Closed(Func<ImEvent> build) => Enabled ? EventJson.Serialize(build()) : RedisValue.EmptyString;

    /// <summary>The event's JSON without its closing brace: the script appends <c>,"seq":N}</c> (and the sender's seq).</summary>
    public RedisValue Open(Func<ImEvent> build) => Enabled ? EventJson.Serialize(build())[..^1] : RedisValue.EmptyString;

    /// <summary>A message body as events carry it: base64 when configured, else left out.</summary>
    public string? Body(ReadOnlyMemory<byte> body) => _options.IncludeBodies ? Convert.ToBase64String(body.Span) : null;

    public static string NewId() => Guid.CreateVersion7().ToString("N");
}
