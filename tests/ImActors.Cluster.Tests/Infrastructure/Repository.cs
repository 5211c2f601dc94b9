namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>Where the repository's scripts and files are, found from the test assembly's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (ImActors.sln) above " + AppContext.BaseDirectory);
    }
}
