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
/// reached the store. Callers never block: they await a round. The rounds are driven by a thread of their own,
/// not by the thread pool: on a busy one-core node a pool timer (Task.Delay(1)) fired after 3.7 ms at the
/// median, behind the grains' queued work, and the pause alone set the ACK latency (decision 77). The thread
/// exits after a second without work and starts again on demand. Continuations run inline when a round
/// completes: a grain's await only queues work on its own scheduler.
/// The interval exists because a commit is not free: one embedded-store commit cost about 100 µs of CPU
/// here, more than the rest of a send, so one per send would cap a node far below its rate (decision 73).
/// With a <c>backgroundInterval</c> the thread also commits that often when nobody waits, for the writes that
/// do not come through here (Orleans' membership and grain state), and then never exits. Given
/// <c>anythingToCommit</c>, such a round is skipped when it says the store wrote nothing since the last commit: an
/// idle node made a hundred commits a second, each with its flush to disk, for nothing (decision 137).
/// </remarks>
public sealed class GroupCommit(
    Func<CancellationToken, Task> commit,
    TimeSpan timeout,
    TimeSpan minInterval = default,
    TimeSpan? backgroundInterval = null,
    Func<bool>? anythingToCommit = null)
    : IStoreCommit
{
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private TaskCompletionSource? _pending;
    private int _waiters;
    private bool _running;
    private long _lastStart = long.MinValue / 2;

    public Task WaitAsync()
    {
        lock (_gate)
        {
            // Callers join the round that has not started yet, never the one already committing.
            if (_pending is null)
            {
                _pending = new TaskCompletionSource();
                Monitor.Pulse(_gate);
            }

            _waiters++;
            EnsureRunning();
            return _pending.Task;
        }
    }

    /// <summary>Starts the background commits now rather than at the first caller (no-op without a background interval).</summary>
    public GroupCommit StartBackground()
    {
        if (backgroundInterval is not null)
        {
            lock (_gate)
            {
                EnsureRunning();
            }
        }

        return this;
    }

    private void EnsureRunning()
    {
        if (!_running)
        {
            _running = true;
            new Thread(CommitLoop) { IsBackground = true, Name = "store group commit" }.Start();
        }
    }

    private void CommitLoop()
    {
        while (NextRound() is var (round, waiters) && round is not null)
        {
            var startedAt = Stopwatch.GetTimestamp();
            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                if (!commit(deadline.Token).Wait(timeout))
                {
                    throw new TimeoutException($"no commit within {timeout.TotalSeconds:0.#} s");
                }

                StoreMetrics.Round(startedAt, waiters);
                round.TrySetResult();
            }
            catch (Exception e)
            {
                // No ACK for anything in this round; the sender retries with the same client message id.
                round.TrySetException(new StoreUnavailableException("message store did not commit: " + e.GetBaseException().Message));
            }
        }
    }

    /// <summary>
    /// Waits for a caller, then for the rest of the interval, and takes the round with the number of callers in it; a null
    /// round once idle long enough to exit.
    /// </summary>
    private (TaskCompletionSource? Round, int Waiters) NextRound()
    {
        lock (_gate)
        {
            while (_pending is null)
            {
                if (!Monitor.Wait(_gate, backgroundInterval ?? IdleExit) && _pending is null)
                {
                    if (backgroundInterval is not null)
                    {
                        // Nobody waits for this round; it makes the other writes durable, if there were any.
                        if (anythingToCommit?.Invoke() == false)
                        {
                            continue;
                        }

                        _pending = new TaskCompletionSource();
                        break;
                    }

                    _running = false;
                    return (null, 0);
                }
            }
        }

        var wait = minInterval - Stopwatch.GetElapsedTime(_lastStart);
        if (wait > TimeSpan.Zero)
        {
            // Callers keep joining the pending round meanwhile: the pause is what lets one commit cover them all.
            // Rounded up to whole milliseconds, the sleep's unit.
            Thread.Sleep((int)Math.Ceiling(wait.TotalMilliseconds));
        }

        lock (_gate)
        {
            var round = _pending!;
            var waiters = _waiters;
            (_pending, _waiters) = (null, 0);
            _lastStart = Stopwatch.GetTimestamp();
            return (round, waiters);
        }
    }
}
