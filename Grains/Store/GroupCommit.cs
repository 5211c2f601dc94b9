using System.Diagnostics;
using ImActors.Grains.Interfaces.Messages;

namespace ImActors.Grains.Store;

/// <summary>
/// Group commit over a store's "commit everything written so far" call: at most one commit runs at a time,
/// every caller that arrives while it runs shares the next one, and commits start at most once per
/// <c>minInterval</c>. A quiet store commits a write at once; a busy one commits every write of the last
/// interval together, so waiting costs about one interval, not one commit per write in a row.
/// </summary>
/// <remarks>
/// A caller may not join the commit already running: that commit may have started before the caller's write
/// reached the store. Waiting never blocks a thread (the store's own commit-wait mode blocks its network
/// thread per reply, which on a small machine starved the thread pool into seconds of delay). Continuations
/// run inline when a round completes: a grain's await only queues work on its own scheduler.
/// The interval exists because a commit is not free: one embedded-store commit cost about 100 µs of CPU
/// here, more than the rest of a send, so one per send would cap a node far below its rate (decision 73).
/// </remarks>
public sealed class GroupCommit(Func<CancellationToken, Task> commit, TimeSpan timeout, TimeSpan minInterval = default) : IStoreCommit
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _pending;
    private bool _looping;
    private long _lastStart = long.MinValue / 2;

    public Task WaitAsync()
    {
        Task round;
        bool start;
        lock (_gate)
        {
            // Callers join the round that has not started yet, never the one already committing.
            round = (_pending ??= new TaskCompletionSource()).Task;
            start = !_looping;
            _looping = true;
        }

        if (start)
        {
            // On the thread pool, never on the caller's scheduler: a grain's scheduler would run the whole loop
            // as part of that grain's turn, and a deactivating grain would take the loop down with it.
            _ = Task.Factory.StartNew(CommitLoopAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
        }

        return round;
    }

    private async Task CommitLoopAsync()
    {
        while (true)
        {
            var wait = minInterval - Stopwatch.GetElapsedTime(_lastStart);
            if (wait > TimeSpan.Zero)
            {
                // Callers keep joining the pending round meanwhile: the pause is what lets one commit cover them all.
                // Rounded up: Task.Delay truncates to whole milliseconds, and 0 would not pause at all.
                await Task.Delay((int)Math.Ceiling(wait.TotalMilliseconds)).ConfigureAwait(false);
            }

            TaskCompletionSource round;
            lock (_gate)
            {
                if (_pending is null)
                {
                    _looping = false;
                    return;
                }

                round = _pending;
                _pending = null;
            }

            _lastStart = Stopwatch.GetTimestamp();
            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                await commit(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
                round.TrySetResult();
            }
            catch (Exception e)
            {
                // No ACK for anything in this round; the sender retries with the same client message id.
                round.TrySetException(new StoreUnavailableException("message store did not commit: " + e.Message));
            }
        }
    }
}
