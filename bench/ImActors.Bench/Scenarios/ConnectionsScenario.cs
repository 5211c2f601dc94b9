using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImActors.Bench.Cli;
using ImActors.Bench.Measurement;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>connections</c>: N authenticated idle connections from K generator processes (each from its own
/// 127.0.0.x source address) to every edge; reports connect rate, server memory per connection and the
/// CPU the server side spends holding them idle.
/// </summary>
public sealed class ConnectionsScenario(ConnectionsOptions options) : Scenario
{
    public override string Name => "connections";

    // Made for the run when it is over TLS: the edges serve it, the generators pin it.
    private readonly string? _certificate = options.Tls ? BenchCertificate.CreatePfx() : null;

    public override int DefaultEdges => ConnectionsOptions.ProcessesFor(options.Count);

    public override IReadOnlyList<string> ServerSettings => _certificate is null ? [] : [$"Tls:CertificatePath={_certificate}", "Tls:HttpPort=0"];

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (_certificate is not null && (target.Name is not ("imactors" or "imactors-node") || servers.TlsEndpoints.Count == 0))
        {
            throw new BenchUsageException("--tls needs an ImActors target started by the tool (its edges are given the run's certificate)");
        }

        // Settle first: the baseline is the server side with no benchmark connection.
        await Task.Delay(1000, cancellationToken);
        var before = servers.Processes.Roles.ToDictionary(r => r, r => servers.Processes.RssBytes(r));
        var heapBefore = await ManagedHeap.ReadAsync(servers.Processes, cancellationToken);

        var watch = Stopwatch.StartNew();
        var workers = new List<Process>();
        var results = new List<ConnectionsWorker.Result>();
        try
        {
            var share = (options.Count + options.Generators - 1) / options.Generators;
            for (var g = 0; g * share < options.Count; g++)
            {
                workers.Add(StartWorker(target, servers, g, g * share, Math.Min(share, options.Count - g * share)));
            }

            foreach (var worker in workers)
            {
                var line = await worker.StandardOutput.ReadLineAsync(cancellationToken)
                           ?? throw new IOException($"a generator process exited early: {await worker.StandardError.ReadToEndAsync(cancellationToken)}");
                results.Add(JsonSerializer.Deserialize<ConnectionsWorker.Result>(line)
                            ?? throw new IOException($"a generator process printed '{line}'"));
            }

            var connectSeconds = watch.Elapsed.TotalSeconds;
            var connected = results.Sum(r => r.Connected);

            // Idle CPU: nothing but heartbeats (one ping per connection per 30 s) for the hold period, once settled.
            await Task.Delay(options.Settle ?? TimeSpan.FromSeconds(2), cancellationToken);
            var cpu0 = servers.Processes.CpuSecondsByRole();
            var t0 = Stopwatch.GetTimestamp();
            await Task.Delay(options.Hold, cancellationToken);
            var held = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var idleByRole = servers.Processes.CpuSecondsByRole().ToDictionary(r => r.Key, r => (r.Value - cpu0[r.Key]) / held);
            var idleCores = idleByRole.Values.Sum();
            var heapAfter = await ManagedHeap.ReadAsync(servers.Processes, cancellationToken);

            report.Add("connections", connected);
            report.Add("tls", _certificate is not null);
            report.Add("failed", results.Sum(r => r.Failed));
            report.Add("hello_retries", results.Sum(r => r.Retries));
            report.Add("first_error", results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
            report.Add("generators", workers.Count);
            report.Add("edges", servers.Endpoints.Count);
            report.Add("settle_seconds", (options.Settle ?? TimeSpan.FromSeconds(2)).TotalSeconds, "s");
            report.Add("connect_seconds", Math.Round(connectSeconds, 2), "s");
            report.Add("connects_per_s", Math.Round(connected / connectSeconds), "/s");
            foreach (var role in servers.Processes.Roles)
            {
                var after = servers.Processes.RssBytes(role);
                report.Add($"{role}_rss_mib", Math.Round(after / 1048576.0, 1), "MiB");
                report.Add($"{role}_rss_per_connection_kib", connected == 0 ? null : Math.Round((after - before[role]) / 1024.0 / connected, 2), "KiB");
                if (heapBefore.TryGetValue(role, out var hb) && heapAfter.TryGetValue(role, out var ha))
                {
                    report.Add($"{role}_managed_heap_mib", Math.Round(ha / 1048576.0, 1), "MiB");
                    report.Add($"{role}_managed_heap_per_connection_kib", connected == 0 ? null : Math.Round((ha - hb) / 1024.0 / connected, 2), "KiB");
                }
            }

            report.Add("managed_heap_source", heapAfter.Count > 0 ? "dotnet-counters (GC heap size after a full collection is not forced)" : "not measured: dotnet-counters not found");
            report.Add("idle_server_cores", Math.Round(idleCores, 4), "cores");
            foreach (var (role, cores) in idleByRole)
            {
                // Which processes the idle cost is in: the silo's timers, or the edges' heartbeats.
                report.Add($"{role}_idle_cores", Math.Round(cores, 4), "cores");
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.StandardInput.Close();
            }

            foreach (var worker in workers)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await worker.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    worker.Kill();
                }

                worker.Dispose();
            }
        }
    }

    private Process StartWorker(IBenchTarget target, ServerSide servers, int index, int first, int count)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     typeof(ConnectionsScenario).Assembly.Location, "connections-worker", "--target", target.Name,
                     "--urls", string.Join(',', _certificate is null ? servers.Endpoints : servers.TlsEndpoints), "--first", Str(first),
                     "--count", Str(count), "--source", Str(index), "--prefix", RunIds.Prefix, "--concurrency", Str(options.Concurrency),
                 })
        {
            info.ArgumentList.Add(arg);
        }

        if (_certificate is not null)
        {
            info.ArgumentList.Add("--tls-cert");
            info.ArgumentList.Add(_certificate);
        }

        return Process.Start(info)!;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
