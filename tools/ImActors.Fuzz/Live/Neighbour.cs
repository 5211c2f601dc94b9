using System.Diagnostics;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Fuzz.Live;

/// <summary>
/// A well-behaved connection beside the fuzzed ones: every 100 ms a ping (answered by the edge itself) or a
/// conversations request (answered through the cluster), each of which must be answered within 2 s.
/// </summary>
internal sealed class Neighbour(Uri edge, string secret)
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public long Answered { get; private set; }
    public long Missed { get; private set; }
    public double MaxMs { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var user = "fuzz-neighbour-" + Guid.NewGuid().ToString("N")[..8];
        FuzzConnection? connection = null;
        try
        {
            connection = await FuzzConnection.SignInAsync(edge, 0, user, secret, stop) ?? throw new InvalidOperationException("the edge did not welcome the neighbour");
            for (var round = 1L; !stop.IsCancellationRequested; round++)
            {
                var clock = Stopwatch.StartNew();
                var rid = "n" + round;
                await connection.WriteAsync(round % 2 == 0
                    ? FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = round })
                    : FrameEncoder.Encode(FrameKind.Request, new RequestFrame { RequestId = rid, Op = RequestOps.Conversations, Limit = 1 }), stop);
                var answered = false;
                while (!answered && clock.Elapsed < AnswerWithin && !connection.Closed)
                {
                    answered = await connection.ReadAsync(AnswerWithin - clock.Elapsed, stop) switch
                    {
                        { Body: PongFrame pong } => pong.T == round,
                        { Body: ResultFrame result } => result.RequestId == rid,
                        _ => false,
                    };
                }

                if (answered)
                {
                    Answered++;
                    MaxMs = Math.Max(MaxMs, clock.Elapsed.TotalMilliseconds);
                }
                else
                {
                    Missed++;
                    if (connection.Closed)
                    {
                        return;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
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
}
