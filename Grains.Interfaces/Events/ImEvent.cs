namespace ImActors.Grains.Interfaces.Events;

/// <summary>
/// One event of the event stream (decision 109): something that changed, written in the same store step as the change.
/// Delivered at least once: consumers deduplicate on <see cref="Id"/>. Fields that do not apply to a type are null.
/// The JSON a webhook receives is this record in camelCase, nulls left out (docs/api.md, "Events").
/// </summary>
/// <param name="Id">Unique per event (a GUIDv7, so time-ordered); the same on every redelivery.</param>
/// <param name="Type">One of <see cref="EventTypes"/>.</param>
/// <param name="Time">Server time of the change, Unix milliseconds.</param>
/// <param name="User">The user the event is about: a 1:1 message's recipient, who came online, was kicked or banned.</param>
/// <param name="From">A message's sender ("" for the system).</param>
/// <param name="Group">The group of a group message or group change.</param>
/// <param name="MessageId">The stored message's id, as in its ACK.</param>
/// <param name="ContentType">The stored message's content type.</param>
/// <param name="Body">The message body, base64, only with <c>Events:IncludeBodies</c>.</param>
/// <param name="Change">For <see cref="EventTypes.GroupChanged"/>: added, removed, joined, left, role, muted, unmuted, owner.</param>
/// <param name="Actor">Who made a group change.</param>
/// <param name="Members">The members a group change is about.</param>
/// <param name="Role">The role given by a role change.</param>
/// <param name="Reason">Why a user was kicked or banned.</param>
/// <param name="Devices">The devices a kick closed.</param>
/// <param name="Seq">A message's seq in the recipient's inbox or the group's timeline; a group change's timeline seq.</param>
/// <param name="SenderSeq">The seq of the sender's copy of a 1:1 message (absent on a sharded store, whose sender's copy is a later step).</param>
/// <param name="Count">For <see cref="EventTypes.MessageOffline"/>: how many messages the notice stands for (more than one when coalesced).</param>
[GenerateSerializer, Immutable, Alias("imactors.ImEvent")]
public sealed record ImEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] long Time,
    [property: Id(3)] string? User = null,
    [property: Id(4)] string? From = null,
    [property: Id(5)] string? Group = null,
    [property: Id(6)] string? MessageId = null,
    [property: Id(7)] string? ContentType = null,
    [property: Id(8)] string? Body = null,
    [property: Id(9)] string? Change = null,
    [property: Id(10)] string? Actor = null,
    [property: Id(11)] IReadOnlyList<string>? Members = null,
    [property: Id(12)] string? Role = null,
    [property: Id(13)] string? Reason = null,
    [property: Id(14)] IReadOnlyList<string>? Devices = null,
    [property: Id(15)] long? Seq = null,
    [property: Id(16)] long? SenderSeq = null,
    [property: Id(17)] int? Count = null);

/// <summary>The event types of <see cref="ImEvent.Type"/>.</summary>
public static class EventTypes
{
    public const string MessageStored = "message.stored";
    public const string UserOnline = "user.online";
    public const string UserOffline = "user.offline";
    public const string UserKicked = "user.kicked";
    public const string UserBanned = "user.banned";
    public const string GroupCreated = "group.created";
    public const string GroupChanged = "group.changed";
    public const string GroupDissolved = "group.dissolved";

    /// <summary>
    /// Not on the stream: what the offline push posts (decision 111) for messages stored for a user with no device
    /// connected, one per message or one per user and window, the last message's fields with <see cref="ImEvent.Count"/>.
    /// </summary>
    public const string MessageOffline = "message.offline";
}

/// <summary>Where the events flow: the stream provider's name and the namespace consumers subscribe to implicitly.</summary>
public static class EventStreams
{
    public const string Provider = "events";

    public const string Namespace = "events";
}
