using ImActors.Edge.Auth;
using ImActors.Edge.Sessions;
using ImActors.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Admission;

/// <summary>
/// Closes connections past one of their deadlines: no hello within <see cref="AdmissionSettings.HelloTimeout"/> (411), a
/// frame started and not finished within <see cref="AdmissionSettings.FrameTimeout"/> (412), a session whose token has
/// expired with no reauth (402). One sweep over every connection each <see cref="AdmissionSettings.SweepInterval"/>, as
/// the heartbeat does: a timer per connection would cost more than the sweep at 100k connections. Its clock is the
/// <see cref="TimeProvider"/>, so tests move it instead of waiting.
/// </summary>
public sealed class DeadlineSweep(
    LocalConnections connections, IOptions<AdmissionSettings> admission, IOptions<AuthSettings> auth, EdgeClock time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(admission.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Sweep();
        }
    }

    /// <summary>One pass over every connection.</summary>
    public void Sweep()
    {
        var settings = admission.Value;
        var now = time.GetTimestamp();
        var expiredBefore = (time.GetUtcNow() - auth.Value.ClockSkew).ToUnixTimeMilliseconds();
        foreach (var connection in connections.All)
        {
            if (!connection.IsAuthenticated)
            {
                if (time.GetElapsedTime(connection.OpenedAt, now) > settings.HelloTimeout)
                {
                    connection.Close(ErrorCodes.HelloTimeout, $"no hello within {settings.HelloTimeout.TotalSeconds:0.###} s");
                    continue;
                }
            }
            else if (connection.TokenExpiresAtMs <= expiredBefore)
            {
                connection.Close(ErrorCodes.TokenExpired, "the session's token expired; send reauth with a fresh token before tokenExp");
                continue;
            }

            var started = connection.FrameStartedAt;
            if (started != 0 && time.GetElapsedTime(started, now) > settings.FrameTimeout)
            {
                connection.Close(ErrorCodes.FrameTimeout, $"a frame was not completed within {settings.FrameTimeout.TotalSeconds:0.###} s");
            }
        }
    }
}
