using System.Diagnostics;
using System.Buffers.Binary;
using ImActors.Fuzz.Inputs;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Fuzz.Live;

/// <summary>
/// The fuzzer against a running edge: a few connections sign in and send inputs, each answered (or not) before the
/// next; a connection the edge closes is replaced. A <see cref="Neighbour"/> runs alongside, and at the end a fresh
/// connection must still be welcomed. A crash here is the edge failing: gone, or its neighbour unanswered.
/// </summary>
public static class EdgeFuzz
{
    /// <summary>A valid frame that gets no answer (a typing notice, a delivery report) is done once this passes quietly.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    public static async Task<FuzzReport> RunAsync(Uri edge, string secret, int seed, long from, long count, TimeSpan duration, int connections)
    {
        var report = new FuzzReport("edge", seed, from);
        var inputs = new InputGenerator(seed);
        var next = from - 1;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var neighbour = new Neighbour(edge, secret);
        var neighbourRun = neighbour.RunAsync(stop.Token);

        async Task WorkerAsync(int worker)
        {
            FuzzConnection? connection = null;
            try
            {
                for (var i = Interlocked.Increment(ref next); i < from + count && !stop.IsCancellationRequested; i = Interlocked.Increment(ref next))
                {
                    connection ??= await FuzzConnection.SignInAsync(edge, worker + (int)(i % 1000) * connections, $"fuzz-{seed}-{i}", secret, stop.Token);
                    if (connection is null)
                    {
                        report.Count("hello refused");
                        continue;
                    }

                    var (strategy, payload) = inputs.Make(i);
                    await connection.WriteAsync(Prefixed(payload, i), stop.Token);
                    report.Ran();
                    report.Count($"sent {strategy}");
                    foreach (var frame in await connection.DrainAsync(Quiet, stop.Token))
                    {
                        report.Count(frame.Body switch
                        {
                            ErrorFrame e => $"error {e.Code}",
                            ClosingFrame c => $"closing {c.Code}",
                            _ => frame.Kind.ToString(),
                        });
                    }

                    if (connection.Closed)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, connections).Select(WorkerAsync));
        await stop.CancelAsync();
        await neighbourRun;
        report.Seconds = clock.Elapsed.TotalSeconds;
        report.SampleMemory();
        (report.NeighbourAnswers, report.NeighbourMissed, report.NeighbourMaxMs) = (neighbour.Answered, neighbour.Missed, Math.Round(neighbour.MaxMs, 1));
        report.EdgeUp = await WelcomesAsync(edge, secret);
        return report;
    }

    /// <summary>
    /// The payload with its length prefix; one input in 50 gets a prefix that lies (empty, or over any frame limit), so the
    /// edge's framing is fuzzed too. A prefix promising more than is sent would only wait for the frame deadline.
    /// </summary>
    private static byte[] Prefixed(byte[] payload, long index)
    {
        var frame = new byte[FrameReader.PrefixLength + payload.Length];
        var length = index % 50 == 0 ? (index % 100 == 0 ? 0u : uint.MaxValue) : (uint)payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        payload.CopyTo(frame, FrameReader.PrefixLength);
        return frame;
    }

    private static async Task<bool> WelcomesAsync(Uri edge, string secret)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await using var connection = await FuzzConnection.SignInAsync(edge, 251, "fuzz-after-" + Guid.NewGuid().ToString("N")[..8], secret, limit.Token);
            return connection is not null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
