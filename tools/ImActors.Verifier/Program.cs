using ImActors.Verifier;

// Exit codes: 0 every check passed; 1 something was lost, duplicated, out of order, shown at a reused seq or inconsistent; 2 the run could not be made.
try
{
    var parse = VerifierArguments.Parse(args);
    if (VerifierArguments.Error(parse) is { } error)
    {
        throw new VerifierException(error);
    }

    // The command itself has no action: one here is --help's or --version's.
    if (parse.Action is not null)
    {
        return parse.Invoke();
    }

    var options = VerifierArguments.Read(parse);
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    var summary = await VerificationRun.RunAsync(options, cancel.Token);
    Console.WriteLine(summary.ToJson());
    return summary.Ok ? 0 : 1;
}
catch (VerifierException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("error: interrupted");
    return 2;
}
