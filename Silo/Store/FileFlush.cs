using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImActors.Silo.Store;

/// <summary>
/// <c>fdatasync</c> of files and directories the embedded store wrote without flushing them (decision 136). It acts on
/// the file, not on the descriptor, so a descriptor of our own flushes what the store's descriptors wrote.
/// </summary>
internal static partial class FileFlush
{
    /// <summary>O_RDONLY | O_DIRECTORY | O_CLOEXEC (Linux, x86-64 and arm64).</summary>
    private const int ReadOnlyDirectory = 0x10000 | 0x80000;

    /// <summary>ENOENT.</summary>
    private const int NoSuchFile = 2;

    public static void Handle(SafeFileHandle handle, string path)
    {
        if (fdatasync((int)handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fdatasync of {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Flushes a file by name; one deleted meanwhile (the store drops old files) needs no flush.</summary>
    public static void File(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        using (handle)
        {
            Handle(handle, path);
        }
    }

    /// <summary>Makes the names in a directory (files created, renamed or deleted in it) survive a power cut.</summary>
    public static void Directory(string path)
    {
        // .NET refuses to open a directory as a file, so libc opens it.
        var fd = open(path, ReadOnlyDirectory);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == NoSuchFile
                ? new DirectoryNotFoundException($"cannot flush {path}: it no longer exists")
                : new IOException($"cannot open {path} to flush it: errno {errno}");
        }

        using var directory = new SafeFileHandle(fd, ownsHandle: true);
        Handle(directory, path);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
