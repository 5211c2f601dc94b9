using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;
using ImActors.Bench.Targets.Mqtt;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>connections-worker</c>: one load-generator process of the <c>connections</c> scenario (a process holds at
/// most ~19,900 sockets here). Opens its share, prints one JSON line, holds until its stdin closes.
/// </summary>
public static class ConnectionsWorker
{
    public sealed record Result(int Connected, int Failed, double Seconds, string? FirstError, int Retries = 0);

    private static readonly Option<string> Target = new("--target") { Description = "The target's name", DefaultValueFactory = _ => "imactors" };

    private static readonly Option<string[]> Urls = BenchOption.List("--urls", "The edges' addresses (host:port,...)");

    private static readonly Option<string?> TokenSecret = new("--token-secret") { Description = "HS256 secret of the edges (default: the development secret)" };

    private static readonly Option<int> First = BenchOption.Int("--first", 0, 0, int.MaxValue, "Number of this process's first user");

    private static readonly Option<int> Count = BenchOption.Int("--count", 1, 1, int.MaxValue, "Connections this process opens");

    private static readonly Option<int> Source = BenchOption.Int("--source", 0, 0, 60_000, "Index of the source address to connect from");

    private static readonly Option<string> Prefix = new("--prefix") { Description = "The run's user name prefix", DefaultValueFactory = _ => RunIds.Prefix };

    private static readonly Option<int> Concurrency = BenchOption.Int("--concurrency", 64, 1, 4096, "Handshakes in flight");

    private static readonly Option<string?> TlsCertificate = new("--tls-cert") { Description = "Connect over TLS to edges serving this PFX's certificate" };

    /// <summary>Started by <see cref="ConnectionsScenario"/>, not by people: hidden from the help.</summary>
    public static Command Command()
    {
        var command = new Command("connections-worker", "One generator process of the connections scenario")
        {
            Target, Urls, TokenSecret, First, Count, Source, Prefix, Concurrency, TlsCertificate,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            await RunAsync(parse, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var targetName = parse.GetValue(Target)!;
        var urls = (parse.GetValue(Urls) ?? []).Select(ServerSide.ParseEndpoint).ToList();
        var secret = parse.GetValue(TokenSecret) ?? Protocol.ProtocolDefaults.DevelopmentTokenSecret;
        var first = parse.GetValue(First);
        var count = parse.GetValue(Count);
        var source = parse.GetValue(Source);
        var prefix = parse.GetValue(Prefix)!;
        var concurrency = parse.GetValue(Concurrency);
        if (urls.Count == 0)
        {
            throw new BenchUsageException("connections-worker needs --urls");
        }

        IBenchTarget target = targetName switch
        {
            "imactors" or "imactors-node" or "imactors-node-nowait" or "imactors-events" or "imactors-node-events" or "imactors-redis"
                or "imactors-redis-cluster" => new ImActorsTarget(
                targetName, urls, secret, durable: true, parse.GetValue(TlsCertificate) is { } pfx ? new(BenchCertificate.Pinned(pfx)) : null),
            "relay" => new ImActorsTarget(targetName, urls, secret, durable: false),
            "signalr-user" or "signalr-group" => new SignalRTarget(urls, targetName == "signalr-group"),
            "imactors-mqtt" => MqttTarget.ImActors(urls, secret),
            "mosquitto" => MqttTarget.Mosquitto(urls),
            _ => throw new BenchUsageException($"connections-worker: unknown --target '{targetName}'"),
        };

        var users = Enumerable.Range(first, count).Select(i => $"{prefix}-c{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        await using var set = await ConnectionSet.OpenAsync(
            target, users, [SourceAddressSocket.Loopback(source)], new LoadCounters(), concurrency, requireAll: false, cancellationToken);
        Console.WriteLine(JsonSerializer.Serialize(new Result(set.Connections.Count, set.Failed, set.Elapsed.TotalSeconds, set.FirstError, set.Retries)));
        Console.Out.Flush();

        // Hold (the set's timer keeps the connections alive) until the parent closes our stdin.
        await Task.Run(() => Console.In.ReadToEnd(), cancellationToken);
    }
}
