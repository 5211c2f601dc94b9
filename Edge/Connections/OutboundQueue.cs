using System.Buffers;
using System.IO.Pipelines;

namespace ImActors.Edge.Connections;

/// <summary>
/// The bounded queue of encoded frames waiting to be written to one connection. Frames are written back to
/// back and flushed once per batch, so a burst of pushes costs one socket write, not one per frame.
/// There is no write loop waiting on an idle connection: the first frame of a burst queues a drain on the
/// thread pool, which writes until the queue is empty and then stops. An idle connection holds this object
/// and nothing else (no queue storage, no pending task).
/// </summary>
/// <remarks>
/// Safe from any thread: pushes from grains, replies from the read loop and the connection's close all enqueue
/// at once. Its lock is its own, so it can be reasoned about (and tested) without the connection.
/// </remarks>
internal sealed class OutboundQueue(PipeWriter output, int limit) : IThreadPoolWorkItem
{
    // Flush at least this often inside a batch so a long queue does not pile up in the pipe unflushed.
    private const int FlushThreshold = 64 * 1024;

    // Every hold of it is short: a queue operation, never a write.
    private readonly Lock _lock = new();
    private Queue<ReadOnlyMemory<byte>>? _frames;
    private bool _draining;
    private bool _completed;
    private TaskCompletionSource? _drained;

    /// <summary>False when the queue is full (or closed): the caller decides what that means.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            _frames ??= new Queue<ReadOnlyMemory<byte>>();
            if (_frames.Count >= limit)
            {
                return false;
            }

            _frames.Enqueue(frame);
            if (_draining)
            {
                return true;
            }

            _draining = true;
        }

        // Off the caller's thread (a grain push, the read loop): frames queued meanwhile join this batch.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>No more frames: the queued ones are still written.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }
    }

    /// <summary>Completes the queue; the task ends once every queued frame is written (or writing failed).</summary>
    public Task CompleteAndDrainAsync()
    {
        lock (_lock)
        {
            _completed = true;
            if (!_draining)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    void IThreadPoolWorkItem.Execute() => Drain();

    private void Drain()
    {
        try
        {
            while (true)
            {
                WriteQueued();
                var flush = output.FlushAsync();
                if (!flush.IsCompletedSuccessfully)
                {
                    // The socket is full (or the flush failed): go on asynchronously.
                    _ = DrainAfterFlushAsync(flush);
                    return;
                }

                if (flush.Result.IsCompleted)
                {
                    Stop();
                    return;
                }

                if (TryStop())
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
            // The transport failed: the read loop sees it too and closes the connection.
            Stop();
        }
    }

    private async Task DrainAfterFlushAsync(ValueTask<FlushResult> pending)
    {
        try
        {
            var flushed = await pending;
            while (!flushed.IsCompleted)
            {
                if (TryStop())
                {
                    return;
                }

                WriteQueued();
                flushed = await output.FlushAsync();
            }
        }
        catch (Exception)
        {
            // As in Drain.
        }

        Stop();
    }

    /// <summary>Writes what is queued now, flushing inside a batch every <see cref="FlushThreshold"/> bytes only when that completes at once.</summary>
    private void WriteQueued()
    {
        var unflushed = 0;
        while (true)
        {
            ReadOnlyMemory<byte> frame;
            lock (_lock)
            {
                if (_frames is null || !_frames.TryDequeue(out frame))
                {
                    return;
                }
            }

            output.Write(frame.Span);
            unflushed += frame.Length;
            if (unflushed >= FlushThreshold)
            {
                return;
            }
        }
    }

    /// <summary>True when nothing is left to write: the drain ends and the queue's storage is released.</summary>
    private bool TryStop()
    {
        lock (_lock)
        {
            if (_frames is { Count: > 0 })
            {
                return false;
            }

            _frames = null;
            _draining = false;
            _drained?.TrySetResult();
            return true;
        }
    }

    /// <summary>The drain ends for good (the pipe is completed or failed): nothing more is accepted. Only the running drain calls it.</summary>
    private void Stop()
    {
        lock (_lock)
        {
            _completed = true;
            _frames = null;
            _draining = false;
            _drained?.TrySetResult();
        }
    }
}
