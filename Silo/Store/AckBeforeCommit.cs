using ImActors.Grains.Store;

namespace ImActors.Silo.Store;

/// <summary>
/// <c>Store:CommitWait=false</c>: the embedded store's replies are used before they are on disk. Kept only to
/// measure what the commit costs; a killed process loses the ACKed messages of its last milliseconds.
/// </summary>
internal sealed class AckBeforeCommit : IStoreCommit
{
    public Task WaitAsync() => Task.CompletedTask;
}
