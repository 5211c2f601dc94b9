using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Compression;
using ImActors.Edge.Connections;
using ImActors.Edge.Limits;
using ImActors.Edge.Metrics;
using ImActors.Edge.Presence;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// A session's start and end: the hello (version, device, token), the session registered with the user's grain
/// and the user's groups subscribed, then the welcome; and, once the connection is closed, the session ended.
/// </summary>
public sealed class SessionHandler(
    TokenValidator tokens,
    GrainRefs grains,
    ClusterCalls cluster,
    EdgeIdentity edge,
    IOptions<EdgeSettings> settings,
    LocalConnections connections,
    LocalGroups groups,
    LocalWatches watches,
    AbuseCooldowns cooldowns,
    EdgeMetrics metrics,
    WireBodies bodies,
    ILogger<SessionHandler> logger)
{
    public async Task HelloAsync(ClientConnection connection, HelloFrame hello)
    {
        if (connection.IsAuthenticated)
        {
            connection.ReplyError(ErrorCodes.AlreadyAuthenticated, "this connection is already authenticated");
            return;
        }

        var version = (hello.Versions ?? []).Where(v => ProtocolDefaults.SupportedVersions.Contains(v)).DefaultIfEmpty(0).Max();
        if (version == 0)
        {
            Refuse(connection, ErrorCodes.UnsupportedVersion,
                $"no common protocol version; this server speaks {string.Join(", ", ProtocolDefaults.SupportedVersions)}");
            return;
        }

        if (!Identifiers.IsValid(hello.Device))
        {
            Refuse(connection, ErrorCodes.InvalidRequest, $"device must be {Ids.Rule}");
            return;
        }

        var check = await tokens.ValidateAsync(hello.Token);
        if (!check.IsValid)
        {
            Refuse(connection, check.ErrorCode, check.Reason);
            return;
        }

        if (!check.AllowsDevice(hello.Device))
        {
            connection.Refuse(ErrorCodes.TokenInvalid, $"token is for device {check.Device}, not {hello.Device}");
            return;
        }

        var user = check.UserId!;
        if (cooldowns.Remaining(user) is { Ticks: > 0 } wait)
        {
            // Closed for flooding moments ago: turned away before the sign-in costs the cluster anything.
            Refuse(connection, ErrorCodes.RateLimited, $"{user} was closed for flooding; connect again after retryAfterMs", retryable: true, wait);
            return;
        }

        // Agreed before the connection is indexed: pushes from then on are encoded the way the welcome will announce.
        var compression = bodies.Agree(hello.Compression);
        connection.Compresses = compression.Length > 0;
        connection.TokenExpiresAtMs = check.ExpiresAt.ToUnixTimeMilliseconds();
        // The token's iat goes with the session: the login step refuses it if the user or device was revoked since.
        var session = new SessionInfo(
            hello.Device, hello.Platform ?? "", edge.EdgeId, edge.Incarnation, connection.Id, DateTimeOffset.UtcNow, check.IssuedAtMs);
        connections.Index(user, connection);
        var groupsReadAt = LocalGroups.Now();
        var connected = await cluster.TryAsync(
            () => grains.Get<IUserSessions>(user).Connect(session), CallPolicy.RetriedNeverAbandoned);
        if (connected.Error is { } notConnected)
        {
            Unwelcome(connection, user, notConnected, registered: null);
            return;
        }

        // Subscribed before the welcome: a push sent after it reaches this device.
        if (await cluster.TryAsync(() => groups.JoinAsync(user, connected.Value.Groups, groupsReadAt), CallPolicy.Unbounded) is { } notSubscribed)
        {
            Unwelcome(connection, user, notSubscribed, registered: session);
            return;
        }

        metrics.HelloAccepted();
        connection.Welcome(user, session, new WelcomeFrame
        {
            Version = version,
            Session = $"{edge.EdgeId}/{connection.Id}",
            User = user,
            ServerTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            HeartbeatMs = (int)settings.Value.HeartbeatInterval.TotalMilliseconds,
            InboxSeq = connected.Value.InboxSeq,
            MaxFrameBytes = settings.Value.MaxFrameBytes,
            TokenExpiresAt = check.ExpiresAt.ToUnixTimeSeconds(),
            Compression = compression,
        });
    }

    /// <summary>The connection is closed: it leaves the lists pushes are sent from, and the user's grain is told.</summary>
    public async Task EndAsync(ClientConnection connection)
    {
        if (connection.Session is not { } session)
        {
            return;
        }

        // Off the group lists before the grain hears of it: pushes stop reaching a closing connection.
        connections.Unindex(connection);
        groups.Forget(connection.UserId!);
        watches.Forget(connection.Id);
        if (await cluster.AttemptAsync(() => grains.Get<IUserSessions>(connection.UserId!).Disconnect(session)) is { } failure)
        {
            // The session expires with this edge's lease if the grain cannot be told now.
            logger.LogWarning(failure, "Could not end the session of {UserId}/{Device}", connection.UserId, session.Device);
        }
    }

    /// <summary>The hello failed half-way: the connection leaves the lists it was filed in, and is refused.</summary>
    private void Unwelcome(ClientConnection connection, string user, ClientError error, SessionInfo? registered)
    {
        connections.Unindex(connection);
        groups.Forget(user);
        if (registered is not null)
        {
            // Registered, but not subscribed to every group: the device says hello again.
            cluster.FireAndForget(() => grains.Get<IUserSessions>(user).Disconnect(registered));
        }

        // Retryable (a silo restarting, the store away): the client reconnects and says hello again.
        Refuse(connection, error.Code, error.Reason, error.Retryable);
    }

    private void Refuse(ClientConnection connection, int code, string reason, bool retryable = false, TimeSpan retryAfter = default)
    {
        metrics.HelloRefused(code);
        connection.Refuse(code, reason, retryable, retryAfter);
    }
}
