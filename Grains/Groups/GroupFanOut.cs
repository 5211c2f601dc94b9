using ImActors.Grains.Edges;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Messages;
using Microsoft.Extensions.Logging;

namespace ImActors.Grains.Groups;

/// <summary>
/// A group's pushes: one call per subscribed edge, whatever the number of members there, which writes the message to
/// its local members' connections. Pushes are best effort: what is stored and missed a push is read by syncing.
/// </summary>
internal sealed class GroupFanOut(string group, EdgeSubscriptions subscriptions, EdgeEndpoints endpoints, ILogger logger)
{
    private static readonly TimeSpan EdgeCallTimeout = TimeSpan.FromSeconds(5);

    public EdgeSubscriptions Subscriptions => subscriptions;

    /// <param name="senderEdge">The edge of the sending connection, which gets no copy of its own send.</param>
    /// <param name="removed">Members a membership event removes: they hear of it, and their edges drop them.</param>
    public async Task PushAsync(
        StoredMessage message, string? senderEdge = null, long senderConnection = 0, string[]? removed = null, bool dissolved = false)
    {
        try
        {
            foreach (var (edge, endpoint) in await subscriptions.LiveAsync())
            {
                await endpoint.DeliverToGroup(message, edge == senderEdge ? senderConnection : 0, removed ?? [], dissolved);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Push of {MessageId} in group {GroupId} failed", message.Id, group);
        }
    }

    public async Task TypingAsync(string user)
    {
        var notice = new Notice(NoticeKind.Typing, user, null, group, 0, 0);
        foreach (var (_, endpoint) in await subscriptions.LiveAsync())
        {
            await endpoint.NotifyGroup(notice, user);
        }
    }

    /// <summary>
    /// Tells the edges holding new members' devices (as the change script found them, so a member connecting meanwhile
    /// is either told here or has this group in their login's list) to push the group to them, and subscribes those
    /// edges. Awaited, so the event pushed next reaches them.
    /// </summary>
    public async Task AddMembersAsync(IReadOnlyList<MemberChange> added, string[][] edgesOfAdded)
    {
        var usersByEdge = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < added.Count && i < edgesOfAdded.Length; i++)
        {
            foreach (var edge in edgesOfAdded[i])
            {
                (usersByEdge.TryGetValue(edge, out var users) ? users : usersByEdge[edge] = []).Add(added[i].User);
            }
        }

        foreach (var (edge, users) in usersByEdge)
        {
            try
            {
                if (await endpoints.ResolveAsync(edge) is not { } endpoint)
                {
                    continue;
                }

                var generation = await endpoint.AddGroupMembers(group, [.. users]).WaitAsync(EdgeCallTimeout);
                if (generation > 0)
                {
                    await subscriptions.SubscribeAsync(edge, generation);
                }
            }
            catch (Exception e)
            {
                // Members, stored: those devices get the group's pushes from their next login, and its messages by syncing.
                logger.LogWarning(e, "Could not tell edge {EdgeId} of new members of group {GroupId}", edge, group);
            }
        }
    }
}
