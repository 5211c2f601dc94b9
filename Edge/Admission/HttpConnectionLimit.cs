using Microsoft.AspNetCore.Connections;

namespace ImActors.Edge.Admission;

/// <summary>
/// A bound on open connections to an HTTP listener (health checks, <c>GET /edges</c>, WebSocket upgrades): the job
/// Kestrel's <c>MaxConcurrentConnections</c> did before it was left unset for the raw TCP listeners (decision 127).
/// A WebSocket session also takes a slot of <see cref="EdgeCapacity"/>; this one only keeps idle or slow HTTP
/// connections from piling up.
/// </summary>
public static class HttpConnectionLimit
{
    public static IConnectionBuilder UseConnectionLimit(this IConnectionBuilder connection, int max)
    {
        if (max <= 0)
        {
            return connection;
        }

        var open = new int[1];
        return connection.Use(next => async context =>
        {
            if (Interlocked.Increment(ref open[0]) > max)
            {
                Interlocked.Decrement(ref open[0]);
                context.Abort(new ConnectionAbortedException($"the listener is at its limit of {max} connections"));
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Decrement(ref open[0]);
            }
        });
    }
}
