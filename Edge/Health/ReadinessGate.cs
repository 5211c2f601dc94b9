using ImActors.Protocol;
using ImActors.Edge.Admission;
using ImActors.Edge.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Health;

/// <summary>
/// Turns new connections away while <see cref="EdgeReadiness"/> says the edge cannot serve them (decision 125): over TCP
/// an <c>error 503</c> frame before any hello, then the close; over WebSocket an HTTP 503 instead of the upgrade. Both
/// carry a retry delay, and the client's next attempt goes to another edge. Connections already open are left alone:
/// their sends get a retryable 503 and their pushes still arrive from whatever part of the cluster works. Every refusal
/// is counted (<c>imactors.edge.readiness.refusals</c>) by transport and by what failed.
/// </summary>
public static class ReadinessGate
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>On a TCP listener (plain or TLS), unless <see cref="EdgeSettings.RefuseWhenNotReady"/> is off.</summary>
    public static ListenOptions UseReadiness(this ListenOptions listen)
    {
        if (listen.ApplicationServices.GetRequiredService<IOptions<EdgeSettings>>().Value.RefuseWhenNotReady)
        {
            var readiness = listen.ApplicationServices.GetRequiredService<EdgeReadiness>();
            var metrics = listen.ApplicationServices.GetRequiredService<EdgeMetrics>();
            listen.Use(next => context => readiness.IsReady ? next(context) : RefuseAsync(context, readiness, metrics));
        }

        return listen;
    }

    /// <summary>For the WebSocket endpoint: null while ready, else the 503 to return instead of the upgrade.</summary>
    public static IResult? RefuseUpgrade(HttpContext http, EdgeReadiness readiness, EdgeMetrics metrics)
    {
        if (readiness.IsReady)
        {
            return null;
        }

        metrics.RefusedNotReady("ws", readiness.Cause);
        http.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
        return Results.Text(Reason(readiness.Reason), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string Reason(string why) => $"this edge is not ready ({why}); try another edge";

    // "tcp" for TLS too: the transport label names the protocol's framing, as the connections metric does.
    private static Task RefuseAsync(ConnectionContext context, EdgeReadiness readiness, EdgeMetrics metrics)
    {
        metrics.RefusedNotReady("tcp", readiness.Cause);
        return Refusal.WriteAsync(context.Transport.Output, ErrorCodes.Unavailable, Reason(readiness.Reason), RetryAfter);
    }
}
