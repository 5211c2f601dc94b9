using System.CommandLine;
using ImActors.Fuzz;
using ImActors.Fuzz.Live;
using ImActors.Protocol;

// Exit codes: 0 no crash; 1 a crash (an exception other than the protocol's error, or in live mode an edge that went
// away or left its neighbour unanswered); 2 bad arguments. The report is one JSON line on stdout.
var seed = new Option<int>("--seed") { Description = "Seed of the inputs; a seed and an index always make the same input", DefaultValueFactory = _ => 1 };
var count = new Option<long>("--count") { Description = "How many inputs to run", DefaultValueFactory = _ => 100_000 };
var from = new Option<long>("--from") { Description = "Index of the first input (to run one reported input again: --from I --count 1)" };

var decoder = new Command("decoder", "Run inputs through the frame decoder in this process") { seed, count, from };
decoder.SetAction(parse =>
{
    var report = DecoderFuzz.Run(parse.GetValue(seed), parse.GetValue(from), parse.GetValue(count),
        progress: r => Console.Error.WriteLine($"{r.Inputs} inputs, {r.Crashes} crashes, peak {r.PeakManagedMiB} MiB"));
    Console.WriteLine(report.ToJson());
    return report.Passed ? 0 : 1;
});

var server = new Option<Uri>("--server")
{
    Description = "The edge's TCP address",
    DefaultValueFactory = _ => new Uri($"tcp://127.0.0.1:{ProtocolDefaults.TcpPort}"),
    CustomParser = r => new Uri(r.Tokens.Single().Value),
};
var duration = new Option<double>("--duration") { Description = "Stop after this many seconds, whatever the count", DefaultValueFactory = _ => 60 };
var connections = new Option<int>("--connections") { Description = "Fuzzed connections at once", DefaultValueFactory = _ => 4 };
var secret = new Option<string?>("--secret") { Description = "Token secret of the edge (default: $IMACTORS_SECRET, else the development secret)" };
var edge = new Command("edge", "Send inputs to a running edge beside a well-behaved connection; check the edge stays up")
{
    seed, count, from, server, duration, connections, secret,
};
edge.SetAction(async (parse, _) =>
{
    var report = await EdgeFuzz.RunAsync(
        parse.GetValue(server)!,
        parse.GetValue(secret) ?? Environment.GetEnvironmentVariable("IMACTORS_SECRET") ?? ProtocolDefaults.DevelopmentTokenSecret,
        parse.GetValue(seed), parse.GetValue(from), parse.GetValue(count), TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(connections));
    Console.WriteLine(report.ToJson());
    return report.Passed ? 0 : 1;
});

var root = new RootCommand("ImActors.Fuzz: structure-aware fuzzing of the frame decoder and of a live edge") { decoder, edge };
return await root.Parse(args).InvokeAsync();
