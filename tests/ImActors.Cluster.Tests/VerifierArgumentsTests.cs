using ImActors.Protocol;
using ImActors.Verifier;

namespace ImActors.Cluster.Tests;

/// <summary>The verifier's command line, parsed in this process; no cluster needed.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class VerifierArgumentsTests
{
    [Fact]
    public void EdgesOnly_RunsTheDocumentedDefaults()
    {
        var options = Parsed("tcp://127.0.0.1:7400", "ws://127.0.0.1:7480/ws");

        Assert.Equal([new Uri("tcp://127.0.0.1:7400"), new Uri("ws://127.0.0.1:7480/ws")], options.Servers);
        Assert.Equal((20, 5.0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), (options.Clients, options.Rate, options.Duration, options.Drain));
        Assert.Equal(["direct", "group"], options.Workloads);
        Assert.NotNull(options.Log);
        Assert.Equal(Environment.GetEnvironmentVariable("IMACTORS_SECRET") is { Length: > 0 } secret ? secret : ProtocolDefaults.DevelopmentTokenSecret, options.Secret);
    }

    [Fact]
    public void Options_MayComeBetweenEdges_InEitherForm_AndWorkloadsRepeat()
    {
        // As scripts/chaos.sh passes them, plus the rest.
        var options = Parsed(
            "tcp://127.0.0.1:7400", "--clients", "30", "tcp://127.0.0.1:7401", "--rate=2.5", "--duration", "60", "--drain", "0",
            "--workload", "group", "--workload=direct", "--run-id", "drill_1", "--secret", "s", "--quiet");

        Assert.Equal(2, options.Servers.Count);
        Assert.Equal((30, 2.5, TimeSpan.FromSeconds(60), TimeSpan.Zero), (options.Clients, options.Rate, options.Duration, options.Drain));
        Assert.Equal(["group", "direct"], options.Workloads);
        Assert.Equal(("drill_1", "s"), (options.RunId, options.Secret));
        Assert.Null(options.Log);
    }

    [Theory]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--frobnicate", "1" }, "unknown option --frobnicate")]
    [InlineData(new[] { "not-an-edge" }, "'not-an-edge' is not an edge address (tcp://host:port or ws://host:port/ws)")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--clients", "1" }, "--clients must be a whole number from 2 to 100000, not '1'")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--rate", "fast" }, "--rate must be a number from 0.01 to 10000, not 'fast'")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--rate" }, "--rate needs a value")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--rate", "--duration", "5" }, "--rate needs a value")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--rate", "1", "--rate", "2" }, "--rate given twice")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--workload", "nonsense" }, "unknown workload 'nonsense' (known: direct, group)")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--run-id", "a b" }, "--run-id must be 1-32 letters, digits, - or _")]
    [InlineData(new[] { "tcp://127.0.0.1:7400", "--audit-events", "http://127.0.0.1:7480" },
        "--audit-events: 'http://127.0.0.1:7480' is not an http address with a port and a path (e.g. http://127.0.0.1:7480/events)")]
    public void BadInput_IsOneLine(string[] args, string error) =>
        Assert.Equal(error, VerifierArguments.Error(VerifierArguments.Parse(args)));

    [Fact]
    public void NoEdge_IsRefused()
    {
        var parse = VerifierArguments.Parse(["--clients", "4"]);
        Assert.Null(VerifierArguments.Error(parse));

        var e = Assert.Throws<VerifierException>(() => VerifierArguments.Read(parse));

        Assert.Equal("give at least one edge, e.g. tcp://127.0.0.1:7400", e.Message);
    }

    private static VerifierOptions Parsed(params string[] args)
    {
        var parse = VerifierArguments.Parse(args);
        Assert.Null(VerifierArguments.Error(parse));
        return VerifierArguments.Read(parse);
    }
}
