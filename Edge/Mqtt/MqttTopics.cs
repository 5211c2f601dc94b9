using ImActors.Grains.Interfaces.Rules;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// The topic names this edge knows (docs/mqtt.md): <c>im/send/u/{user}</c> and <c>im/send/g/{group}</c> to send,
/// <c>im/u/{self}</c> and <c>im/g/{group}</c> to receive. Every other topic is refused: there is no broker behind them.
/// </summary>
public static class MqttTopics
{
    public const string SendToUser = "im/send/u/";
    public const string SendToGroup = "im/send/g/";
    public const string Inbox = "im/u/";
    public const string Group = "im/g/";

    /// <summary>The recipient of a PUBLISH: a user or a group; null for a topic that is not a send topic.</summary>
    public static (string? To, string? Group)? SendTarget(string topic)
    {
        if (topic.StartsWith(SendToUser, StringComparison.Ordinal) && Ids.IsValid(topic[SendToUser.Length..]))
        {
            return (topic[SendToUser.Length..], null);
        }

        if (topic.StartsWith(SendToGroup, StringComparison.Ordinal) && Ids.IsValid(topic[SendToGroup.Length..]))
        {
            return (null, topic[SendToGroup.Length..]);
        }

        return null;
    }

    /// <summary>MQTT forbids wildcards in the topic of a PUBLISH (3.1.1 section 3.3.2.1): a client that sends one is closed.</summary>
    public static bool HasWildcard(string topic) => topic.AsSpan().IndexOfAny('+', '#') >= 0;

    /// <summary>The group a filter subscribes to, when it is <c>im/g/{group}</c> with a valid id and no wildcard.</summary>
    public static string? GroupOf(string filter) =>
        filter.StartsWith(Group, StringComparison.Ordinal) && Ids.IsValid(filter[Group.Length..]) ? filter[Group.Length..] : null;

    public static string InboxOf(string user) => Inbox + user;

    public static string GroupTopic(string group) => Group + group;
}
