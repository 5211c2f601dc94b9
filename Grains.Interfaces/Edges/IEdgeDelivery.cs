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

    /// <summary>Sends a closing frame to a local connection and closes it.</summary>
    [OneWay, Alias("Close")]
    Task Close(long connectionId, int code, string reason);
}
