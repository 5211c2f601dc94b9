namespace ImActors.Bench.Scenarios;

/// <summary>User names unique to one run, so that an inbox never holds a previous run's messages.</summary>
public static class RunIds
{
    public static string Prefix { get; } = "b" + Guid.NewGuid().ToString("N")[..6];

    public static List<string> Users(string role, int count) =>
        Enumerable.Range(0, count).Select(i => $"{Prefix}-{role}{i}").ToList();
}
