using System.Globalization;
using System.Text.Json;
using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>connections-worker</c>: one load-generator process of the <c>connections</c> scenario (a process holds at
/// most ~19,900 sockets here). Opens its share, prints one JSON line, holds until its stdin closes.
/// </summary>
public static class ConnectionsWorker
{
    public sealed record Result(int Connected, int Failed, double Seconds, string? FirstError, int Retries = 0);

    public static async Task RunAsync(BenchArguments args, CancellationToken cancellationToken)
    {
        var targetName = args.String("target", "imactors")!;
        var urls = args.List("urls").Select(ServerSide.ParseEndpoint).ToList();
        var secret = args.String("token-secret", Protocol.ProtocolDefaults.DevelopmentTokenSecret)!;
        var first = args.Int("first", 0, 0);
        var count = args.Int("count", 1);
        var source = args.Int("source", 0, 0, 60_000);
        var prefix = args.String("prefix", RunIds.Prefix)!;
        var concurrency = args.Int("concurrency", 64, 1, 4096);
        args.RejectUnread();
        if (urls.Count == 0)
        {
            throw new BenchUsageException("connections-worker needs --urls");
        }

        IBenchTarget target = targetName switch
        {
            "imactors" or "imactors-node" => new ImActorsTarget(targetName, urls, secret, durable: true),
            "relay" => new ImActorsTarget(targetName, urls, secret, durable: false),
            "signalr-user" or "signalr-group" => new SignalRTarget(urls, targetName == "signalr-group"),
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
