using ImActors.Fuzz.Live;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using Xunit.Abstractions;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// A short live run of the fuzzer (decision 113) against a real edge: fuzzed connections come and go while a
/// well-behaved neighbour keeps getting its pongs and results, and the edge still welcomes a new connection after.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class EdgeFuzzTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task FuzzedConnections_LeaveTheEdgeUp_AndTheirNeighbourAnswered()
    {
        var report = await EdgeFuzz.RunAsync(
            cluster.Edge.Tcp, ProtocolDefaults.DevelopmentTokenSecret, seed: 113, from: 0, count: 400, duration: TimeSpan.FromSeconds(8), connections: 3);
        output.WriteLine(report.ToJson());

        Assert.True(report.Passed, report.ToJson());
        Assert.True(report.Inputs >= 100, report.ToJson());
        Assert.True(report.NeighbourAnswers >= 10, report.ToJson());
        Assert.DoesNotContain(report.Outcomes.Keys, k => k is "error 500" or "closing 500");
    }
}
