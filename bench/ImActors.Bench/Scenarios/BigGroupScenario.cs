using System.Diagnostics;
using ImActors.Bench.Cli;
using ImActors.Bench.Measurement;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;
using ImActors.Client;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>big-group</c>: builds one group of M members (100,000 by default) in batches of 1000, mostly offline,
/// with K members online spread over the edges; then sends N messages from the owner at R per second and
/// measures the ACK latency and the delivery latency to the online members. The same sends go to a baseline
/// group of only the K online members in the same run, so the figures show whether a send's cost depends on
/// the member count (it should not: the timeline is written once and pushed once per edge).
/// Runs on the SDK, against ImActors only.
/// </summary>
public sealed class BigGroupScenario(BigGroupOptions options) : Scenario
{
    private const int Batch = 1000;
    private int _pass;

    public override string Name => "big-group";

    public override int DefaultEdges => 2;

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target is not ImActorsTarget { Name: "imactors" or "imactors-node" } imactors)
        {
            throw new BenchUsageException("big-group runs against --target imactors only");
        }

        var edges = servers.Endpoints.Select(e => new Uri($"tcp://{e}")).ToList();
        ImClient Client(string user, int index) => new(new ImClientOptions
        {
            Servers = [edges[index % edges.Count]],
            TokenProvider = _ => ValueTask.FromResult(TokenIssuer.Issue(user, imactors.TokenSecret, TimeSpan.FromHours(2))),
            Device = "bench",
            SendDeadline = TimeSpan.FromMinutes(2),
            RequestTimeout = TimeSpan.FromMinutes(2),
        });

        var members = RunIds.Users("big", options.Members);
        await using var owner = Client(members[0], 0);
        await owner.ConnectAsync(cancellationToken);
        var online = new List<ImClient>();
        try
        {
            for (var i = 1; i <= options.Online; i++)
            {
                var client = Client(members[i], i);
                await client.ConnectAsync(cancellationToken);
                online.Add(client);
            }

            var big = $"{RunIds.Prefix}-big";
            var baseline = $"{RunIds.Prefix}-base";
            var build = new LatencyRecorder();
            var clock = Stopwatch.StartNew();
            var started = Stopwatch.GetTimestamp();
            await owner.CreateGroupAsync(big, members.Skip(1).Take(Batch - 1).ToList(), cancellationToken: cancellationToken);
            build.Record(started);
            foreach (var batch in members.Skip(Batch).Chunk(Batch))
            {
                started = Stopwatch.GetTimestamp();
                await owner.AddMembersAsync(big, batch, cancellationToken);
                build.Record(started);
            }

            var buildSeconds = clock.Elapsed.TotalSeconds;
            await owner.CreateGroupAsync(baseline, members.Skip(1).Take(options.Online).ToList(), cancellationToken: cancellationToken);

            // A first, unmeasured pass warms both groups' grains and the code paths (a fresh server JIT-compiles).
            await SendAsync(owner, online, baseline, cancellationToken);
            await SendAsync(owner, online, big, cancellationToken);
            var baseResult = await SendAsync(owner, online, baseline, cancellationToken);
            var bigResult = await SendAsync(owner, online, big, cancellationToken);

            report.Add("members", options.Members);
            report.Add("online_members", options.Online);
            report.Add("edges", edges.Count);
            report.Add("build_s", Math.Round(buildSeconds, 2), "s");
            report.Add("build_batches", build.Count);
            Add(report, "batch", build.Summary());
            report.Add("messages", options.Messages);
            report.Add("rate", options.Rate, "msg/s");
            Add(report, "base_ack", baseResult.Ack.Summary());
            Add(report, "base_delivery", baseResult.Delivery.Summary());
            Add(report, "big_ack", bigResult.Ack.Summary());
            Add(report, "big_delivery", bigResult.Delivery.Summary());
            report.Add("big_deliveries", bigResult.Delivery.Count);
        }
        finally
        {
            foreach (var client in online)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Open loop from the owner: ACK latency and delivery latency, both from each send's scheduled time.</summary>
    private async Task<(LatencyRecorder Ack, LatencyRecorder Delivery)> SendAsync(
        ImClient owner, List<ImClient> online, string group, CancellationToken cancellationToken)
    {
        var ack = new LatencyRecorder();
        var delivery = new LatencyRecorder();
        var scheduled = new long[options.Messages];
        var expected = (long)options.Messages * online.Count;
        // Each pass tags its messages, so a late delivery from an earlier pass is never counted in this one.
        var tag = $"bench:{++_pass}:";
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = online.Select(client => Task.Run(async () =>
        {
            try
            {
                await foreach (var message in client.Messages.ReadAllAsync(done.Token))
                {
                    if (message.Group == group && message.Text is { } text && text.StartsWith(tag, StringComparison.Ordinal)
                        && int.TryParse(text.AsSpan(tag.Length), out var k))
                    {
                        delivery.Record(scheduled[k]);
                        if (delivery.Count >= expected)
                        {
                            await done.CancelAsync();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(options.Messages);
        for (var k = 0; k < options.Messages; k++)
        {
            var at = start + (long)(k / options.Rate * Stopwatch.Frequency);
            var wait = (at - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
            }

            scheduled[k] = at;
            var index = k;
            sends.Add(owner.SendGroupTextAsync(group, tag + index, cancellationToken: cancellationToken)
                .ContinueWith(_ => ack.Record(scheduled[index]), TaskContinuationOptions.OnlyOnRanToCompletion));
        }

        await Task.WhenAll(sends);
        done.CancelAfter(TimeSpan.FromSeconds(30));
        await Task.WhenAll(readers);
        return (ack, delivery);
    }

    private static void Add(BenchReport report, string prefix, LatencySummary summary)
    {
        report.Add(prefix + "_p50_ms", summary.P50Ms, "ms");
        report.Add(prefix + "_p99_ms", summary.P99Ms, "ms");
        report.Add(prefix + "_p999_ms", summary.P999Ms, "ms");
        report.Add(prefix + "_max_ms", summary.MaxMs, "ms");
    }
}
