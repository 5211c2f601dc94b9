using ImActors.Bench.Cli;
using ImActors.Bench.Report;
using ImActors.Bench.Scenarios;
using ImActors.Bench.Servers;

// ImActors.Bench <scenario> [--option value ...]: see docs/benchmarks.md.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl-C ends the run but still stops the servers the tool started.
    e.Cancel = true;
    stop.Cancel();
};
// SIGTERM (from a script's trap or a test's timeout) takes the same path, so servers are never left behind.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    var parsed = new BenchArguments(args);
    switch (parsed.Command)
    {
        case "relay":
            var port = parsed.Int("port", 7390, 1, 65535);
            parsed.RejectUnread();
            await RelayServer.RunAsync(port, stop.Token);
            return 0;
        case "summarize":
            return RunSummary.Run(parsed.Files, Console.Out);
        case "connections-worker":
            await ConnectionsWorker.RunAsync(parsed, stop.Token);
            return 0;
    }

    var scenario = Scenario.Create(parsed.Command)
                   ?? throw new BenchUsageException($"unknown scenario '{parsed.Command}': use connections, direct, group, big-group, reconnect-storm, restart, ramp (or relay)");
    scenario.ReadOptions(parsed);
    var serverOptions = ServerOptions.Read(parsed, scenario.DefaultEdges, scenario.ServerSettings);
    parsed.RejectUnread();

    var (target, servers) = await ServerSide.OpenAsync(serverOptions, stop.Token);
    await using (servers)
    {
        var report = new BenchReport(scenario.Name, target.Name, CommandLine.Current);
        if (serverOptions.Settings.Count > 0)
        {
            report.Add("server_config", string.Join(',', serverOptions.Settings));
        }

        await scenario.RunAsync(target, servers, report, stop.Token);
        report.Write(Console.Out);
    }

    return 0;
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("error: interrupted");
    return 130;
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine("error: " + e.Message.ReplaceLineEndings(" "));
    return 1;
}
