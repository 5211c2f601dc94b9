namespace ImActors.Bench.Cli;

/// <summary>Bad input on the command line: printed as one line, exit code 2.</summary>
public sealed class BenchUsageException(string message) : Exception(message);
