using Tsavorite.core;

namespace ImActors.Silo.Store;

/// <summary>
/// Flushes the embedded store's checkpoint and log files when a checkpoint completes, before the store deletes the
/// segments of the append-only file that the checkpoint replaces (decision 136).
/// </summary>
/// <remarks>
/// The store writes them like the append-only file, with <c>O_DIRECT</c> and no flush, and right after a checkpoint
/// its own commit deletes the covered segments: without this, a power cut in those moments could find the segments gone
/// and the checkpoint's data still in the disk's cache. Registered on the store's state machine, which calls it before
/// every transition and waits for it; entering <c>REST</c> is the end of a checkpoint (or of an index resize, where a
/// flush is harmless), and the deletion only comes after the state machine has returned.
/// </remarks>
public sealed class CheckpointFileSync(string dataDirectory) : IStateMachineCallback
{
    /// <summary>Directories whose files a recovery reads: the checkpoints, and the store's log below them.</summary>
    private readonly string[] _roots = [Path.Combine(dataDirectory, "checkpoints", "Store"), Path.Combine(dataDirectory, "log")];

    /// <summary>How many times the files were flushed at the end of a state machine.</summary>
    public int Flushes { get; private set; }

    public void BeforeEnteringState(SystemState next)
    {
        if (next.Phase != Phase.REST)
        {
            return;
        }

        foreach (var root in _roots.Where(Directory.Exists))
        {
            FlushTree(root);
        }

        Flushes++;
    }

    private static void FlushTree(string directory)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                FileFlush.File(file);
            }

            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                FlushTree(child);
            }

            FileFlush.Directory(directory);
        }
        catch (DirectoryNotFoundException)
        {
            // An older checkpoint the store removed meanwhile: nothing of it is needed any more. Throwing here would fail
            // the checkpoint being finished.
        }
    }
}
