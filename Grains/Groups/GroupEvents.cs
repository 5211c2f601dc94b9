using System.Text.Json;
using ImActors.Grains.Inbox;
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
}
