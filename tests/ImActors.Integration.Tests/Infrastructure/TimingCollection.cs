namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// Tests that measure timing (commit intervals, a commit landing inside a running script) run alone, after the
/// others: a test that floods the thread pool or starts a cluster beside them starves the delays they count on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing, alone";
}
