namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>Waits for a condition that the system reaches on its own (a one-way call landing, a commit running).</summary>
public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test if it does not within 10 s.</summary>
    public static Task TrueAsync(Func<bool> condition) => TrueAsync(() => Task.FromResult(condition()));

    public static Task TrueAsync(Func<Task<bool>> condition) => TrueAsync(condition, Limit);

    /// <summary>The same with a limit of its own, for what the system reaches only after a documented bound.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan limit) => TrueAsync(() => Task.FromResult(condition()), limit);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {limit.TotalSeconds:0} s");
            await Task.Delay(10);
        }
    }
}
