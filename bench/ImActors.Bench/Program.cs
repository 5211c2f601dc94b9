using System.CommandLine;
using ImActors.Bench.Cli;

// ImActors.Bench <scenario> [--option value ...]: see docs/benchmarks.md, or --help.
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
    var parse = BenchCommand.Parse(args);
    if (BenchCommand.Error(parse) is { } error)
    {
        throw new BenchUsageException(error);
    }

    // Errors are ours to print, in one line; and the signals above are ours to handle: the parser's own
    // handling would end the process after a timeout, before the servers it started are stopped.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop.Token);
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
