using System.Text.Json;
using ImActors.Grains.Events;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Groups;

/// <summary>
/// Membership changes as timeline entries: content type <see cref="SystemContentTypes.GroupEvent"/>, a small
/// JSON body <c>{"type", "actor", "members", "role"}</c> that any client can read.
/// </summary>
internal static class GroupEvents
{
    public const string Created = "created";
    public const string Added = "added";
    public const string Removed = "removed";
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Role = "role";
    public const string Muted = "muted";
    public const string Unmuted = "unmuted";
    public const string Owner = "owner";
    public const string Dissolved = "dissolved";

    public static byte[] Entry(string group, string type, string actor, IReadOnlyList<string> members, long timestamp, string? role = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, actor, members, role });
        return LogEntry.Encode(Guid.CreateVersion7().ToString("N"), actor, group, timestamp, SystemContentTypes.GroupEvent, body);
    }

    /// <summary>
    /// The stream's event for a timeline entry of <see cref="Entry"/>: created and dissolved have types of their own,
    /// every other change is <see cref="EventTypes.GroupChanged"/> naming it. The seq is added by the store step.
    /// </summary>
    public static ImEvent ToStreamEvent(string group, byte[] entry)
    {
        var stored = LogEntry.Decode(entry, 0, group);
        var body = JsonSerializer.Deserialize<Body>(stored.Body, EventJson.Options)!;
        var type = body.Type switch
        {
            Created => EventTypes.GroupCreated,
            Dissolved => EventTypes.GroupDissolved,
            _ => EventTypes.GroupChanged,
        };
        return new ImEvent(EventOutbox.NewId(), type, stored.Timestamp, Group: group, Actor: body.Actor,
            Change: type == EventTypes.GroupChanged ? body.Type : null, Members: body.Members, Role: body.Role);
    }

    private sealed record Body(string Type, string Actor, string[] Members, string? Role);
}
