using ImActors.Protocol.Frames;

namespace ImActors.Client.Connections;

/// <summary>
/// Keeps a connection from looking dead: the edge closes one that is silent for three of its heartbeat intervals.
/// Any frame counts, so a tick reports how far the inbox was handed over when that moved (the server then knows
/// what this device holds) and pings only when there is nothing to report.
/// </summary>
internal static class Heartbeat
{
    public static async Task RunAsync(Connection connection, TimeSpan interval, Func<long> deliveredUpTo)
    {
        using var timer = new PeriodicTimer(interval);
        var reported = -1L;
        while (await timer.WaitForNextTickAsync(connection.Ended))
        {
            var last = deliveredUpTo();
            if (last != reported)
            {
                await connection.SendAsync(FrameKind.Delivered, new DeliveredFrame { UpTo = last });
                reported = last;
            }
            else
            {
                await connection.SendAsync(FrameKind.Ping, new PingFrame { T = Environment.TickCount64 });
            }
        }
    }
}
