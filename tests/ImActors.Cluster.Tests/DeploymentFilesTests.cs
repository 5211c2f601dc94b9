using ImActors.Cluster.Tests.Infrastructure;

namespace ImActors.Cluster.Tests;

/// <summary>
/// There is no container engine where these tests run, so the container files are checked the way that is
/// possible without one: the compose file by docker-compose's own parser, the Dockerfiles against the README.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task ComposeFile_IsValidForDockerCompose()
    {
        var (exit, output) = await RunComposeConfigAsync();

        Assert.True(exit == 0, "docker-compose config rejected docker-compose.yml:\n" + output);
    }

    [Fact]
    public void Prometheus_ScrapesTheMetricsPortOfEveryEdgeTheComposeFileStarts()
    {
        var compose = File.ReadAllLines(Repository.PathOf("docker-compose.yml"));
        var prometheus = File.ReadAllText(Repository.PathOf("deploy", "prometheus.yml"));
        // Services are the two-space-indented keys under "services:"; the edges are named edge1, edge2, ...
        var edges = compose
            .SkipWhile(l => l != "services:")
            .Where(line => line.StartsWith("  edge", StringComparison.Ordinal) && line.EndsWith(':'))
            .Select(line => line.Trim().TrimEnd(':'))
            .ToList();

        Assert.NotEmpty(edges);
        Assert.All(edges, edge => Assert.True(prometheus.Contains($"\"{edge}:7480\"", StringComparison.Ordinal),
            $"deploy/prometheus.yml does not scrape {edge}:7480"));
        Assert.Contains("Admin__Metrics: \"true\"", string.Join('\n', compose));
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
