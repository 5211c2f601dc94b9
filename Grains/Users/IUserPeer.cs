using ImActors.Grains.Interfaces.Messages;
using Orleans.Concurrency;

namespace ImActors.Grains.Users;

/// <summary>
/// What one user's grain tells another's: the sender's own copy of a message to push, and a peer's read mark.
/// Not part of <see cref="Interfaces.Users.IUserGrain"/>: business services never call these, and a service that
/// did could push a copy nobody sent or a receipt nobody gave.
/// </summary>
[Alias("imactors.IUserPeer")]
public interface IUserPeer : IGrainWithStringKey
{
    /// <summary>Pushes the user's own copy of a message to the user's devices other than <paramref name="exceptDevice"/>.</summary>
    [OneWay, Alias("PushOwnCopy")]
    Task PushOwnCopy(StoredMessage copy, string exceptDevice);

    /// <summary>
    /// <paramref name="reader"/> has read their conversation with this user up to <paramref name="readerSeq"/>, a seq of
    /// the reader's inbox. Devices are told the seq of this user's own copy.
    /// </summary>
    [OneWay, Alias("PeerRead")]
    Task PeerRead(string reader, long readerSeq);
}
