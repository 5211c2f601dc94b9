namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// One single-node process (<c>Node/</c>: silo, embedded store and edge) on free loopback ports with a fresh
/// data directory, started by <c>scripts/node.sh</c> for the drills that kill it.
/// </summary>
public sealed class SingleNode : IAsyncLifetime
{
    public NodeScript Script { get; } = new(Directory.CreateTempSubdirectory("imactors-node-").FullName);

    public async Task InitializeAsync() => await Script.RunAsync("start", "--no-build");

    /// <summary>Running again, on its ports and data, if a drill left it killed.</summary>
    public async Task RestoreAsync()
    {
        var status = await Script.RunAsync("status");
        if (status.Split('\n')[0].TrimEnd().EndsWith("stopped", StringComparison.Ordinal))
        {
            await Script.RestartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await Script.TryRunAsync("stop");
        try
        {
            Directory.Delete(Script.RunDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Not run in parallel with other collections: they run first, then this one alone. On 2 cores the node's
/// restarts and the load of a cluster drill next to it would distort each other's timings.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SingleNodeCollection : ICollectionFixture<SingleNode>
{
    public const string Name = "single node";
}
