namespace ImActors.Bench.Tests;

/// <summary>The checkout these tests were built in.</summary>
public static class Repository
{
    public static string Root { get; } = Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (ImActors.sln) was not found above " + AppContext.BaseDirectory);
    }
}
