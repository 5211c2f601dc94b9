namespace ImActors.Verifier.Workloads;

/// <summary>The workloads the command line can name. A new one is one more line here.</summary>
public static class WorkloadCatalog
{
    private static readonly Dictionary<string, Func<IWorkload>> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["direct"] = () => new DirectMessages(),
        ["group"] = () => new GroupMessages(),
    };

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static IWorkload? Create(string name) => Known.TryGetValue(name, out var create) ? create() : null;
}
