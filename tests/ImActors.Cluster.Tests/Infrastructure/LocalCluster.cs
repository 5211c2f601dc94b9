using System.Net;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// One cluster for all the drills (starting one costs ~15 s on 2 cores): redis-server, 2 silos and
/// 2 edges as separate processes. Each drill first restores that shape, since the previous one broke it.
/// When the store switch says so (<see cref="StoreSwitch"/>), the store is a Redis Cluster of 3 masters with a replica
/// each (<c>cluster.sh start --redis-shards 3</c>) instead of one redis-server, and the same drills run on it.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public const int Silos = 2;

    public string ClusterId { get; } = "drill-" + Guid.NewGuid().ToString("N")[..8];

    public ClusterScript Script { get; }

    public LocalCluster() => Script = new ClusterScript(Directory.CreateTempSubdirectory("imactors-cluster-").FullName, ClusterId);

    public async Task InitializeAsync()
    {
        string[] store = StoreSwitch.OnCluster ? ["--redis-shards", StoreSwitch.Masters.ToString()] : [];
        await Script.RunAsync(["start", "--no-build", "--silos", Silos.ToString(), "--edges", "2", .. store]);
    }

    /// <summary>
    /// Redis up, every edge running, at least <see cref="Silos"/> silos running, and every edge ready. Without the last,
    /// a drill that follows a Redis restart or a silo kill could start its clients while the silos' store connections
    /// still reconnect, and fail at connecting instead of at what it tests.
    /// </summary>
    public async Task RestoreAsync()
    {
        var status = await Script.RunAsync("status");
        var lines = status.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // "redis" for the one server, "redis-N" for each node of a Redis Cluster: start-redis starts every stopped one.
        if (lines.Any(l => l.StartsWith("redis", StringComparison.Ordinal) && l.TrimEnd().EndsWith("stopped", StringComparison.Ordinal)))
        {
            await Script.RunAsync("start-redis");
        }

        foreach (var edge in lines.Where(l => l.StartsWith("edge-", StringComparison.Ordinal) && l.TrimEnd().EndsWith("stopped", StringComparison.Ordinal)))
        {
            await Script.RunAsync("start-edge", edge.Split(' ')[0]["edge-".Length..]);
        }

        var running = lines.Count(l => l.StartsWith("silo-", StringComparison.Ordinal) && l.TrimEnd().EndsWith("running", StringComparison.Ordinal));
        for (; running < Silos; running++)
        {
            await Script.RunAsync("add-silo");
        }

        await WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until every edge answers its readiness with 200; fails with each edge's answer and the logs after <paramref name="bound"/>.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var readiness = await Script.ReadinessAsync();
            if (readiness.All(r => r.Status == HttpStatusCode.OK))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"the cluster was not ready {bound.TotalSeconds:0} s after its restore:\n" + string.Join("\n", readiness.Select(r => $"{r.Name} {r.Edge} {(int)r.Status} {r.Body}"))
                + string.Concat(readiness.Where(r => r.Status != HttpStatusCode.OK).Select(r => $"\n--- the end of {r.Name}'s log:\n{Script.LogTail(r.Name)}"))
                + $"\n--- members:\n{await Script.RunAsync("status")}"
                + string.Concat(Directory.GetFiles(Script.RunDir, "silo-*.log").Order().Select(f => Path.GetFileNameWithoutExtension(f))
                    .Select(silo => $"\n--- the end of {silo}'s log:\n{Script.LogTail(silo, 25)}")));
            await Task.Delay(500);
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

[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalCluster>
{
    public const string Name = "local cluster";
}
