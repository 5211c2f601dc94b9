using System.Net;
using ImActors.Protocol;
using Microsoft.AspNetCore.Connections;

namespace ImActors.Edge.Admission;

/// <summary>
/// Where the per-address limits apply: Kestrel connection middleware on the TCP listener (a refusal is an error frame,
/// then the close, before the protocol starts), and a check in front of the WebSocket upgrade (a refusal is HTTP 429
/// with Retry-After, so no WebSocket is ever accepted for it).
/// </summary>
public static class AdmissionMiddleware
{
    public static IConnectionBuilder UseAddressLimits(this IConnectionBuilder connection, AddressLimiter limiter) =>
        !limiter.IsOn ? connection : connection.Use(next => context =>
        {
            var admission = limiter.TryAdmit((context.RemoteEndPoint as IPEndPoint)?.Address);
            if (!admission.IsGranted)
            {
                return RefuseAsync(context, admission);
            }

            // Only a slot of the open-connections limit must wait for the connection's end; without that limit nothing
            // stays here for the connection's life (an awaiting frame is ~150 bytes a connection).
            return admission.HoldsSlot ? RunHoldingAsync(next, context, admission) : next(context);
        });

    private static async Task RunHoldingAsync(ConnectionDelegate next, ConnectionContext context, Admission admission)
    {
        using (admission)
        {
            await next(context);
        }
    }

    private static Task RefuseAsync(ConnectionContext context, Admission admission) =>
        Refusal.WriteAsync(context.Transport.Output, ErrorCodes.RateLimited, admission.Reason, admission.RetryAfter);

    /// <summary>For the WebSocket endpoint: null when admitted (dispose the admission when the socket ends), else the 429 to return.</summary>
    public static IResult? RefuseUpgrade(HttpContext http, Admission admission)
    {
        if (admission.IsGranted)
        {
            return null;
        }

        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds)).ToString();
        return Results.Text(admission.Reason, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
