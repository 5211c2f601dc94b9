using System.CommandLine;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Scenarios;

/// <summary>What <c>connections</c> runs: how many connections, from how many generator processes, held how long.</summary>
/// <param name="Tls">Connect over TLS (ImActors targets): the memory of an idle TLS connection beside a plain one.</param>
/// <param name="Settle">
/// How long after the last connection the idle CPU starts to be measured. The runtime is still compiling the connect
/// path's hot methods for a while after a burst of 100,000 hellos (over half of an idle silo's samples 30 s after one):
/// a cost of the burst, not of holding connections.
/// </param>
public sealed record ConnectionsOptions(int Count, int Generators, TimeSpan Hold, int Concurrency, bool Tls = false, TimeSpan? Settle = null)
{
    /// <summary>One process holds at most ~19,900 sockets here (ulimit -n 20000); leave room for everything else.</summary>
    public const int PerProcess = 15_000;

    private static readonly Option<int> CountOption = BenchOption.Int("--count", 1000, 1, 1_000_000, "Connections to open and hold");

    private static readonly Option<int?> GeneratorsOption = BenchOption.OptionalInt(
        "--generators", 1, 250, "Generator processes, each connecting from its own source address (default: one per 15,000 connections)");

    private static readonly Option<double> HoldOption = BenchOption.Double("--hold", 10, 1, 3600, "Seconds the connections are held idle");

    private static readonly Option<double> SettleOption = BenchOption.Double(
        "--settle", 2, 0, 3600, "Seconds between the last connection and the start of the idle CPU measurement");

    private static readonly Option<int> ConcurrencyOption = BenchOption.Int("--concurrency", 64, 1, 4096, "Handshakes in flight per generator");

    private static readonly Option<bool> TlsOption = new("--tls") { Description = "Connect over TLS to edges serving a certificate made for the run (ImActors targets)" };

    public static IReadOnlyList<Option> Declared => [CountOption, GeneratorsOption, HoldOption, SettleOption, ConcurrencyOption, TlsOption];

    public static ConnectionsOptions Read(ParseResult parse)
    {
        var count = parse.GetValue(CountOption);
        var generators = parse.GetValue(GeneratorsOption) ?? ProcessesFor(count);
        if (count / generators > 19_000)
        {
            throw new BenchUsageException($"{count} connections over {generators} generators is more than one process can hold here (~19,000): raise --generators");
        }

        return new ConnectionsOptions(
            count, generators, TimeSpan.FromSeconds(parse.GetValue(HoldOption)), parse.GetValue(ConcurrencyOption), parse.GetValue(TlsOption),
            TimeSpan.FromSeconds(parse.GetValue(SettleOption)));
    }

    /// <summary>Processes (generators, or edges) that hold <paramref name="connections"/> at <see cref="PerProcess"/> each.</summary>
    public static int ProcessesFor(int connections) => Math.Max(1, (int)Math.Ceiling(connections / (double)PerProcess));
}
