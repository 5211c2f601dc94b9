using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ImActors.Silo.Store;

/// <summary>
/// Flushes the embedded store's append-only file to stable storage after a commit, so that an ACK survives a power cut
/// and not only a killed process (decision 136).
/// </summary>
/// <remarks>
/// Garnet (2.2.8) writes the file's segments with <c>O_DIRECT</c> but without <c>O_DSYNC</c> and never calls fsync: a
/// completed commit has left the process, but may still sit in the disk's volatile cache, and a segment's new length
/// (its extents, for writes past the end) is only in the file system's journal in memory. <c>fdatasync</c> forces
/// both (<see cref="FileFlush"/>). A new segment's name is made durable too, by flushing the directory once it appears.
/// Called by one thread at a time (the group commit).
/// </remarks>
public sealed class AofFileSync(string aofDirectory) : IDisposable
{
    private const string SegmentPrefix = "aof.log.";
    private SafeFileHandle? _segment;

    /// <summary>The number of the newest segment synced so far; -1 before the first sync.</summary>
    public int Segment { get; private set; } = -1;

    /// <summary>
    /// Syncs the newest segment, and every segment that appeared after the one synced last: a commit's writes may have
    /// crossed into a new segment. Throws when the file system refuses.
    /// </summary>
    public void Sync()
    {
        if (_segment is null && !OpenNewest())
        {
            return;
        }

        while (true)
        {
            FileFlush.Handle(_segment!, SegmentPath(Segment));
            var next = SegmentPath(Segment + 1);
            if (!File.Exists(next))
            {
                return;
            }

            // The segment the store moved on to: its name must survive a power cut as well as its content.
            FileFlush.Directory(aofDirectory);
            Open(Segment + 1);
        }
    }

    private bool OpenNewest()
    {
        var newest = Directory.Exists(aofDirectory)
            ? Directory.EnumerateFiles(aofDirectory, SegmentPrefix + "*")
                .Select(p => int.TryParse(Path.GetFileName(p)[SegmentPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
                .DefaultIfEmpty(-1)
                .Max()
            : -1;
        if (newest < 0)
        {
            return false;
        }

        FileFlush.Directory(aofDirectory);
        Open(newest);
        return true;
    }

    private void Open(int segment)
    {
        _segment?.Dispose();
        // Read-only is enough: fdatasync flushes the file whichever descriptor asks. Deleting the segment (the store
        // truncates the file after a checkpoint) stays possible while it is open.
        _segment = File.OpenHandle(SegmentPath(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Segment = segment;
    }

    private string SegmentPath(int segment) =>
        Path.Combine(aofDirectory, SegmentPrefix + segment.ToString(CultureInfo.InvariantCulture));

    public void Dispose() => _segment?.Dispose();
}
