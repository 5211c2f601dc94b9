namespace ImActors.Grains.Store;

/// <summary>
/// Keeps commits out of the middle of scripts. Scripts enter and exit; the committer closes the fence, which holds
/// new scripts back and waits until the running ones have exited, starts its commit, and opens the fence again.
/// </summary>
/// <remarks>
/// The embedded store (Garnet) runs a script atomically but writes each of its writes to the append-only file as
/// a record of its own, with no marker around them: a commit that lands between two of them makes half a script
/// durable, and a kill then recovers it. Half an append is a seq with no entry, or both entries without the
/// dedup record (the retry stores the message twice). Both were seen in the node kill drill (decision 79).
/// A script's writes all happen between the client sending it and the reply arriving, so a commit started
/// while no script is between those two points covers whole scripts only.
/// </remarks>
public sealed class ScriptFence
{
    private readonly object _lock = new();
    private int _running;
    private bool _closed;
    private TaskCompletionSource? _reopened;

    /// <summary>Completes when the script may be sent: at once, unless a commit is being started.</summary>
    public ValueTask EnterAsync()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _running++;
                return ValueTask.CompletedTask;
            }

            // Asynchronous continuations: the committer opens the fence under its lock and must not run senders.
            _reopened ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(EnterWhenOpenAsync(_reopened.Task));
        }
    }

    /// <summary>The script's reply arrived (or it failed): none of its writes can come after this.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _running--;
            if (_closed && _running == 0)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// Holds new scripts back and waits for the running ones to exit. False (and the fence open again) when they
    /// have not within <paramref name="timeout"/>; the caller must not commit then.
    /// </summary>
    public bool Close(TimeSpan timeout)
    {
        lock (_lock)
        {
            _closed = true;
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (_running > 0)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || (!Monitor.Wait(_lock, (int)left) && _running > 0))
                {
                    OpenLocked();
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Lets the held-back scripts go.</summary>
    public void Open()
    {
        lock (_lock)
        {
            OpenLocked();
        }
    }

    private void OpenLocked()
    {
        _closed = false;
        _reopened?.TrySetResult();
        _reopened = null;
    }

    private async Task EnterWhenOpenAsync(Task reopened)
    {
        await reopened;
        await EnterAsync();
    }
}
