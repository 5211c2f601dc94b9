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

    [Theory]
    [InlineData("edge", 7480)]
    [InlineData("silo", 7490)]
    public void Prometheus_ScrapesTheMetricsPortOfEveryProcessTheComposeFileStarts(string kind, int adminPort)
    {
        var compose = File.ReadAllLines(Repository.PathOf("docker-compose.yml"));
        var prometheus = File.ReadAllText(Repository.PathOf("deploy", "prometheus.yml"));
        // Services are the two-space-indented keys under "services:", named edge1, edge2, ... and silo1, silo2, ...
        var services = compose
            .SkipWhile(l => l != "services:")
            .Where(line => line.StartsWith("  " + kind, StringComparison.Ordinal) && (line.EndsWith(':') || line.Contains(": *", StringComparison.Ordinal)))
            .Select(line => line.Trim().Split(':')[0])
            .ToList();

        Assert.NotEmpty(services);
        Assert.All(services, service => Assert.True(prometheus.Contains($"\"{service}:{adminPort}\"", StringComparison.Ordinal),
            $"deploy/prometheus.yml does not scrape {service}:{adminPort}"));
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
