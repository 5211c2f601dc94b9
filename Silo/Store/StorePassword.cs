using System.Security.Cryptography;

namespace ImActors.Silo.Store;

/// <summary>
/// The embedded store's password (decision 108): 32 random bytes, made on first start into a file in the store's data
/// directory that only the owner may read, and read from there on every later start. The store listens on loopback,
/// which every local user reaches; the password and the directory's permissions keep the messages the node's alone.
/// </summary>
public static class StorePassword
{
    public const string FileName = "password";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The password in <paramref name="dataDir"/>, made there first if there is none.</summary>
    public static string ReadOrCreate(string dataDir)
    {
        var dir = Path.GetFullPath(dataDir);
        CreateOwnerOnly(dir);
        var file = Path.Combine(dir, FileName);
        if (!File.Exists(file))
        {
            // CreateNew: two starts racing on one directory both read the one that won, never two different ones.
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    // Owner-only from its first byte: no moment when another user could open it.
                    options.UnixCreateMode = OwnerOnlyFile;
                }

                using var stream = new FileStream(file, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(file))
            {
            }
        }
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & ~OwnerOnlyFile) != 0)
        {
            // A copy or an editor may have widened it; whoever could read it meanwhile could, but nobody can from now on.
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }

        var password = File.ReadAllText(file).Trim();
        return password.Length >= 32
            ? password
            : throw new InvalidOperationException($"{file} holds no password of at least 32 characters: delete it to have a new one made");
    }

    /// <summary>The store's own files (its log and append-only file hold every message) are the owner's too.</summary>
    private static void CreateOwnerOnly(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
            return;
        }

        Directory.CreateDirectory(dir, OwnerOnlyDirectory);
        if ((File.GetUnixFileMode(dir) & ~OwnerOnlyDirectory) != 0)
        {
            File.SetUnixFileMode(dir, OwnerOnlyDirectory);
        }
    }
}
