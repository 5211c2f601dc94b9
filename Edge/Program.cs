using ImActors.Edge.Hosting;

var app = EdgeHost.Build(args);
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Stopping while the cluster is already gone: the Orleans client's stop gives up after the shutdown
    // timeout. Nothing is left to hand over, and a clean exit beats an abort with a stack trace.
    Console.Error.WriteLine("edge stopped without reaching the cluster to close its sessions");
}
