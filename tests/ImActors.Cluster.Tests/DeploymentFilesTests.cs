using ImActors.Cluster.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>
/// There is no container engine where these tests run, so the container files are checked the way that is
/// possible without one: the compose file by docker-compose's own parser, the Dockerfiles against the README.
/// </summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task ComposeFile_IsValidForDockerCompose()
    {
        var (exit, output) = await RunComposeConfigAsync();

        Assert.True(exit == 0, "docker-compose config rejected docker-compose.yml:\n" + output);
    }

    [Theory]
    [InlineData("Silo/Dockerfile")]
    [InlineData("Edge/Dockerfile")]
    public void Dockerfile_BuildsWithTheCommandsTheReadmeGives(string dockerfile)
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var runs = File.ReadAllLines(Repository.PathOf(dockerfile.Split('/')))
            .Where(l => l.StartsWith("RUN ", StringComparison.Ordinal))
            .Select(l => l["RUN ".Length..].Trim())
            .ToList();

        Assert.NotEmpty(runs);
        Assert.All(runs, command => Assert.True(readme.Contains(command, StringComparison.Ordinal), $"README.md does not give `{command}`"));
    }

    private static async Task<(int Exit, string Output)> RunComposeConfigAsync()
    {
        try
        {
            return await ProcessRunner.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "docker-compose is not installed (apt-get install -y docker-compose); scripts/test.sh installs it when run as root");
        }
    }
}
