using ImActors.Grains.Interfaces.Conversations;
using Orleans.Concurrency;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;

namespace ImActors.Grains.Interfaces.Edges;

/// <summary>
/// The delivery endpoint of one edge process: a grain observer the edge registers with its
/// <see cref="IEdgeDirectoryGrain"/>. Every call is one-way so that a dead or slow edge never stalls a grain;
/// a push that is lost is not a lost message (it is in the log and the device syncs on reconnect).
/// </summary>
[Alias("imactors.IEdgeDelivery")]
public interface IEdgeDelivery : IGrainObserver
{
    /// <summary>Writes <paramref name="message"/> to the listed local connections.</summary>
    [OneWay, Alias("Deliver")]
    Task Deliver(StoredMessage message, long[] connectionIds);

    /// <summary>
    /// Group fan-out: writes <paramref name="message"/> to every local connection of the group's members
    /// (<see cref="StoredMessage.Group"/>) except <paramref name="exceptConnection"/> (the sending device). One call
    /// per subscribed edge per message. <paramref name="removed"/> (the members a membership event removes) hear
    /// this message and none after it: one call, so no later push can overtake the removal. When
    /// <paramref name="dissolved"/>, the edge forgets the group.
    /// </summary>
    [OneWay, Alias("DeliverToGroup")]
    Task DeliverToGroup(StoredMessage message, long exceptConnection, string[] removed, bool dissolved);

    /// <summary>
    /// New members of <paramref name="group"/>, some of whom may be connected here. Awaited by the group before it
    /// pushes the event that adds them. Returns the edge's subscription generation for the group, or 0 when none of
    /// them is connected here (nothing to subscribe).
    /// </summary>
    [Alias("AddGroupMembers")]
    Task<long> AddGroupMembers(string group, string[] users);

    /// <summary>Writes an ephemeral notice (typing, read state, receipt) to the listed local connections.</summary>
    [OneWay, Alias("Notify")]
    Task Notify(Notice notice, long[] connectionIds);

    /// <summary>Writes an ephemeral notice of a group (<see cref="Notice.Group"/>) to its local members but <paramref name="exceptUser"/>.</summary>
    [OneWay, Alias("NotifyGroup")]
    Task NotifyGroup(Notice notice, string exceptUser);

    /// <summary>
    /// A watched user's presence changed: written to every local connection watching the user. One call per watching
    /// edge per change, whatever the number of watchers there.
    /// </summary>
    [OneWay, Alias("DeliverPresence")]
    Task DeliverPresence(UserPresence presence);

    /// <summary>The members of <paramref name="group"/> connected to this edge now. Two-way: the group bounds the wait.</summary>
    [Alias("OnlineGroupMembers")]
    Task<string[]> OnlineGroupMembers(string group);

    /// <summary>Sends a closing frame to a local connection and closes it.</summary>
    [OneWay, Alias("Close")]
    Task Close(long connectionId, int code, string reason);
}
