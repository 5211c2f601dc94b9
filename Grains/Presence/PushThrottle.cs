namespace ImActors.Grains.Presence;

/// <summary>
/// Paces one user's presence pushes. A change after a quiet window is pushed at once; changes within the window after
/// a push are held, and one push at the window's end carries the state then (the last state wins). A timer exists only
/// while changes are held, so a user who does not flap costs nothing here.
/// </summary>
internal sealed class PushThrottle(TimeSpan window, TimeProvider time, Func<Func<Task>, TimeSpan, IDisposable> schedule, Func<Task> push)
{
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    private IDisposable? _held;

    public Task ChangedAsync()
    {
        if (_held is not null)
        {
            return Task.CompletedTask;
        }

        var wait = _lastPush == DateTimeOffset.MinValue ? TimeSpan.Zero : _lastPush + window - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return PushAsync();
        }

        _held = schedule(PushHeldAsync, wait);
        return Task.CompletedTask;
    }

    /// <summary>Pushes what is held now (the grain is deactivating: its timers die with it).</summary>
    public Task FlushAsync() => _held is null ? Task.CompletedTask : PushHeldAsync();

    private Task PushHeldAsync()
    {
        _held?.Dispose();
        _held = null;
        return PushAsync();
    }

    private Task PushAsync()
    {
        _lastPush = time.GetUtcNow();
        return push();
    }
}
