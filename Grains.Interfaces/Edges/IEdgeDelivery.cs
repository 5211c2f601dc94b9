using ImActors.Grains.Interfaces.Conversations;
using Orleans.Concurrency;
using ImActors.Grains.Interfaces.Messages;

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
    /// Group fan-out: writes <paramref name="message"/> to every local connection of the listed users except
    /// <paramref name="exceptConnection"/> (the sending device). One call per edge per message.
    /// </summary>
    [OneWay, Alias("DeliverToUsers")]
    Task DeliverToUsers(StoredMessage message, string[] users, long exceptConnection);

    /// <summary>Writes an ephemeral notice (typing, read state, receipt) to the listed local connections.</summary>
    [OneWay, Alias("Notify")]
    Task Notify(Notice notice, long[] connectionIds);

    /// <summary>Writes an ephemeral notice to every local connection of the listed users.</summary>
    [OneWay, Alias("NotifyUsers")]
    Task NotifyUsers(Notice notice, string[] users);

    /// <summary>Sends a closing frame to a local connection and closes it.</summary>
    [OneWay, Alias("Close")]
    Task Close(long connectionId, int code, string reason);
}
