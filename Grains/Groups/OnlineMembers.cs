using ImActors.Grains.Interfaces.Presence;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Groups;

/// <summary>
/// A group's online members, asked of the edges the group pushes to rather than of each member's grain: every member
/// connected anywhere is filed on the edge that holds them (that is how group pushes find them), so one call per
/// subscribed edge answers for a group of any size. Edges are asked together, and one that does not answer in time is
/// left out of the count rather than stalling the group.
/// </summary>
internal static class OnlineMembers
{
    private static readonly TimeSpan EdgeCallTimeout = TimeSpan.FromSeconds(2);

    public static async Task<OnlineMembersPage> PageAsync(
        string group, EdgeSubscriptions subscriptions, IReadOnlyDictionary<string, MemberRecord> members, string? after, int limit, ILogger logger)
    {
        var asked = (await subscriptions.LiveAsync()).Select(async e =>
        {
            try
            {
                return await e.Endpoint.OnlineGroupMembers(group).WaitAsync(EdgeCallTimeout);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Edge {EdgeId} did not say who of group {GroupId} it holds", e.Edge, group);
                return [];
            }
        });

        // An edge may still hold a member the group removed a moment ago: the group's own list decides.
        var online = (await Task.WhenAll(asked)).SelectMany(users => users).Where(members.ContainsKey)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var start = after is null ? 0 : Array.BinarySearch(online, after, StringComparer.Ordinal);
        if (after is not null)
        {
            start = start >= 0 ? start + 1 : ~start;
        }

        var page = online.Skip(start).Take(limit).ToArray();
        var next = start + page.Length < online.Length ? page[^1] : null;
        return new OnlineMembersPage(online.Length, page, next);
    }
}
