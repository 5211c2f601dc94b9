using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImActors.Bench.Load;

/// <summary>
/// Fires sends at a fixed rate whatever the server does (open loop): send number k is due at
/// start + k / rate. When the generator falls behind it sends the overdue ones at once, each still stamped
/// with its own due time, so a slow server shows up as latency instead of as a politely lower rate.
/// </summary>
public static class OpenLoop
{
    /// <summary>Runs on a dedicated thread; <paramref name="send"/> gets the send number and its due timestamp.</summary>
    public static Task RunAsync(double rate, TimeSpan duration, Action<long, long> send, CancellationToken cancellationToken)
    {
        var total = (long)Math.Round(rate * duration.TotalSeconds);
        var ticksPerSend = Stopwatch.Frequency / rate;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var start = Stopwatch.GetTimestamp();
                for (long next = 0; next < total && !cancellationToken.IsCancellationRequested;)
                {
                    var dueAt = start + (long)(next * ticksPerSend);
                    var wait = dueAt - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        Pause(wait);
                        continue;
                    }

                    send(next, dueAt);
                    next++;
                }

                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        { IsBackground = true, Name = "open-loop", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Waits until close to the next due time without spinning: a spinning scheduler would take the very
    /// core the generator's receive loops need. Thread.Sleep(1) lasts over a millisecond on Linux, so short
    /// waits use usleep, which the kernel's high-resolution timers serve to within tens of microseconds.
    /// </summary>
    private static void Pause(long waitTicks)
    {
        if (waitTicks > Stopwatch.Frequency / 500 || !OperatingSystem.IsLinux())
        {
            Thread.Sleep(1);
            return;
        }

        var micros = waitTicks * 1_000_000 / Stopwatch.Frequency;
        _ = usleep((uint)Math.Clamp(micros, 20, 1000));
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint microseconds);
}
