using ImActors.Grains.Interfaces;
using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Delivery;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Connections;

/// <summary>
/// What each client frame means: the hello handshake, then sends (1:1 and group), syncs (inbox and group
/// timelines), requests, typing notices, delivery reports and pings, each turned into a grain call. Frames of one connection are handled one at a time, in order, so a
/// client's sends reach the cluster in the order it sent them.
/// </summary>
public sealed class SessionProtocol(
    TokenValidator tokens,
    GrainRefs grains,
    EdgeIdentity edge,
    IOptions<EdgeSettings> settings,
    ClusterCalls cluster,
    Requests requests,
    LocalConnections connections,
    LocalGroups groups,
    ILogger<SessionProtocol> logger)
{
    private const int MaxContentTypeLength = 100;
    private const string HelloFirst = "the first frame must be a hello";

    /// <summary>False when the connection must close.</summary>
    public Task<bool> HandleAsync(ClientConnection connection, Frame frame)
    {
        if (!connection.IsAuthenticated && frame.Kind != FrameKind.Hello)
        {
            connection.Refuse(ErrorCodes.NotAuthenticated, HelloFirst);
            return Task.FromResult(false);
        }

        return frame.Body switch
        {
            HelloFrame hello => HelloAsync(connection, hello),
            SendFrame send => SendAsync(connection, send),
            SyncFrame sync => SyncAsync(connection, sync),
            DeliveredFrame => Delivered(),
            PingFrame ping => Pong(connection, ping),
            RequestFrame request => RequestAsync(connection, request),
            TypingFrame typing => Typing(connection, typing),
            _ => Unexpected(connection, frame.Kind),
        };
    }

    /// <summary>
    /// A frame kind this edge does not know. After hello a newer client may speak kinds this edge lacks: say so
    /// and carry on. Before hello it is refused like any other non-hello frame, so that unknown kinds cannot
    /// keep an anonymous connection alive. False when the connection must close.
    /// </summary>
    public bool HandleUnknownKind(ClientConnection connection, string reason)
    {
        if (!connection.IsAuthenticated)
        {
            connection.Refuse(ErrorCodes.NotAuthenticated, HelloFirst);
            return false;
        }

        connection.ReplyError(ErrorCodes.UnknownKind, reason);
        return true;
    }

    public async Task OnClosedAsync(ClientConnection connection)
    {
        if (connection.Session is not { } session)
        {
            return;
        }

        // Off the group lists before the grain hears of it: pushes stop reaching a closing connection.
        connections.Unindex(connection);
        groups.Forget(connection.UserId!);
        if (await cluster.AttemptAsync(() => grains.Get<IUserSessions>(connection.UserId!).Disconnect(session)) is { } failure)
        {
            // The session expires with this edge's lease if the grain cannot be told now.
            logger.LogWarning(failure, "Could not end the session of {UserId}/{Device}", connection.UserId, session.Device);
        }
    }

    private async Task<bool> HelloAsync(ClientConnection connection, HelloFrame hello)
    {
        if (connection.IsAuthenticated)
        {
            connection.ReplyError(ErrorCodes.AlreadyAuthenticated, "this connection is already authenticated");
            return true;
        }

        var version = (hello.Versions ?? []).Where(v => ProtocolDefaults.SupportedVersions.Contains(v)).DefaultIfEmpty(0).Max();
        if (version == 0)
        {
            connection.Refuse(ErrorCodes.UnsupportedVersion,
                $"no common protocol version; this server speaks {string.Join(", ", ProtocolDefaults.SupportedVersions)}");
            return false;
        }

        if (!Identifiers.IsValid(hello.Device))
        {
            connection.Refuse(ErrorCodes.InvalidRequest, "device must be 1-64 characters of letters, digits and . _ - @ :");
            return false;
        }

        var check = await tokens.ValidateAsync(hello.Token);
        if (!check.IsValid)
        {
            connection.Refuse(check.ErrorCode, check.Reason);
            return false;
        }

        var user = check.UserId!;
        var session = new SessionInfo(
            hello.Device, hello.Platform ?? "", edge.EdgeId, edge.Incarnation, connection.Id, DateTimeOffset.UtcNow);
        connections.Index(user, connection);
        var groupsReadAt = LocalGroups.Now();
        var connected = await cluster.TryAsync(
            () => grains.Get<IUserSessions>(user).Connect(session), CallPolicy.RetriedNeverAbandoned);
        if (connected.Error is { } notConnected)
        {
            return Unwelcome(connection, user, notConnected, registered: null);
        }

        // Subscribed before the welcome: a push sent after it reaches this device.
        if (await cluster.TryAsync(() => groups.JoinAsync(user, connected.Value.Groups, groupsReadAt), CallPolicy.Unbounded) is { } notSubscribed)
        {
            return Unwelcome(connection, user, notSubscribed, registered: session);
        }

        connection.Welcome(user, session, new WelcomeFrame
        {
            Version = version,
            Session = $"{edge.EdgeId}/{connection.Id}",
            User = user,
            ServerTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            HeartbeatMs = (int)settings.Value.HeartbeatInterval.TotalMilliseconds,
            InboxSeq = connected.Value.InboxSeq,
            MaxFrameBytes = settings.Value.MaxFrameBytes,
        });
        return true;
    }

    /// <summary>The hello failed half-way: the connection leaves the lists it was filed in, and is refused.</summary>
    private bool Unwelcome(ClientConnection connection, string user, ClientError error, SessionInfo? registered)
    {
        connections.Unindex(connection);
        groups.Forget(user);
        if (registered is not null)
        {
            // Registered, but not subscribed to every group: the device says hello again.
            cluster.FireAndForget(() => grains.Get<IUserSessions>(user).Disconnect(registered));
        }

        // Retryable (a silo restarting, the store away): the client reconnects and says hello again.
        connection.Refuse(error.Code, error.Reason, error.Retryable);
        return false;
    }

    private async Task<bool> SendAsync(ClientConnection connection, SendFrame send)
    {
        var cmid = send.ClientMessageId;
        if (!Identifiers.IsValid(cmid))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "cmid must be 1-64 characters of letters, digits and . _ - @ :",
                clientMessageId: string.IsNullOrEmpty(cmid) ? null : cmid);
            return true;
        }

        if ((send.To is null) == (send.Group is null) || !Identifiers.IsValid(send.To ?? send.Group))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "name exactly one of to (a user id) and group (a group id)", clientMessageId: cmid);
            return true;
        }

        if (string.IsNullOrEmpty(send.ContentType) || send.ContentType.Length > MaxContentTypeLength)
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "contentType must be 1-100 characters", clientMessageId: cmid);
            return true;
        }

        if (SystemContentTypes.IsReserved(send.ContentType))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "content types application/vnd.imactors.* are written by the server only",
                clientMessageId: cmid);
            return true;
        }

        var sent = await cluster.TryAsync(() => send.Group is { } group
            ? grains.Get<IGroupGrain>(group).Send(
                new GroupSendRequest(connection.UserId!, connection.Session, cmid, send.ContentType, send.Body ?? []))
            : grains.Get<IUserGrain>(send.To!).Send(
                new SendRequest(connection.UserId!, connection.Session!.Device, cmid, send.To!, send.ContentType, send.Body ?? [])),
            CallPolicy.Retried);
        if (sent.Error is { } error)
        {
            connection.ReplyError(error, clientMessageId: cmid);
            return true;
        }

        var result = sent.Value;
        connection.Reply(FrameKind.Ack, new AckFrame
        {
            ClientMessageId = cmid, MessageId = result.MessageId, Seq = result.Seq, Timestamp = result.Timestamp,
            Duplicate = result.Duplicate,
        });
        return true;
    }

    private async Task<bool> SyncAsync(ClientConnection connection, SyncFrame sync)
    {
        if (sync.After < 0 || sync.Limit < 1 || sync.Limit > ProtocolDefaults.MaxSyncPageSize
            || (sync.Group is not null && !Identifiers.IsValid(sync.Group))
            || (sync.RequestId is not null && !Identifiers.IsValidRequestId(sync.RequestId)))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest,
                $"after must be >= 0, limit 1-{ProtocolDefaults.MaxSyncPageSize}, and group and rid (if any) valid ids");
            return true;
        }

        // A page of large messages is cut short (hasMore) rather than sent as one huge frame.
        var maxBytes = settings.Value.MaxFrameBytes;
        var read = await cluster.TryAsync(() => sync.Group is { } group
            ? grains.Get<IGroupGrain>(group).Read(connection.UserId!, sync.After, sync.Limit, maxBytes)
            : grains.Get<IUserGrain>(connection.UserId!).Sync(sync.After, sync.Limit, maxBytes),
            CallPolicy.Retried);
        if (read.Error is { } error)
        {
            connection.ReplyError(error, requestId: sync.RequestId);
            return true;
        }

        var page = read.Value;
        connection.Reply(FrameKind.SyncPage, new SyncPageFrame
        {
            Group = sync.Group,
            RequestId = sync.RequestId,
            Messages = page.Messages.Select(MessageFrames.From).ToArray(),
            HasMore = page.HasMore,
            InboxSeq = page.InboxSeq,
            Floor = page.Floor,
            Trimmed = page.Trimmed,
        });
        return true;
    }

    // Version 1 keeps nothing of a delivery report: it is a sign of life like a ping (the frame reader already
    // counted it), and read receipts come from the read request. Reporting it to the user's grain cost a grain call
    // per report for a value nothing read.
    private static Task<bool> Delivered() => Task.FromResult(true);

    private async Task<bool> RequestAsync(ClientConnection connection, RequestFrame request)
    {
        await requests.HandleAsync(connection, request);
        return true;
    }

    private Task<bool> Typing(ClientConnection connection, TypingFrame typing)
    {
        if ((typing.Peer is null) == (typing.Group is null) || !Identifiers.IsValid(typing.Peer ?? typing.Group))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest, "name exactly one of peer and group");
        }
        else if (!connection.TypingGate.TryPass())
        {
            connection.ReplyError(ErrorCodes.RateLimited, "typing notices are limited to a burst of 5 and 1 per second", retryable: true);
        }
        else if (typing.Group is { } group)
        {
            // One-way and never stored: a notice lost to a failover is not worth a retry.
            cluster.FireAndForget(() => grains.Get<IGroupGrain>(group).Typing(connection.UserId!));
        }
        else
        {
            cluster.FireAndForget(() => grains.Get<IUserGrain>(typing.Peer!).Typing(connection.UserId!));
        }

        return Task.FromResult(true);
    }

    private static Task<bool> Pong(ClientConnection connection, PingFrame ping)
    {
        connection.Reply(FrameKind.Pong, new PongFrame { T = ping.T });
        return Task.FromResult(true);
    }

    private static Task<bool> Unexpected(ClientConnection connection, FrameKind kind)
    {
        connection.ReplyError(ErrorCodes.UnknownKind, $"frame kind {(int)kind} ({kind}) is not accepted from clients");
        return Task.FromResult(true);
    }
}
