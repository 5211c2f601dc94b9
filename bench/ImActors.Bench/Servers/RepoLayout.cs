using ImActors.Bench.Cli;

namespace ImActors.Bench.Servers;

/// <summary>Where the built server programs are: the tool runs from its own build output inside the repository.</summary>
public static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this tool was built in; servers are taken from the same one.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string Dll(string projectDir, string assembly)
    {
        var path = Path.Combine(Root, projectDir, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new BenchUsageException($"{path} is not built: run 'dotnet build ImActors.sln -c {Configuration}' first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImActors.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
