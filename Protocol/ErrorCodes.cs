namespace ImActors.Protocol;

/// <summary>
/// Codes carried by error and closing frames. The numbers follow HTTP's families so that they read
/// naturally (4xx: the client's fault, 5xx: the server's). Documented in docs/protocol.md.
/// </summary>
public static class ErrorCodes
{
    public const int MalformedFrame = 400;
    public const int NotAuthenticated = 401;
    public const int TokenExpired = 402;
    public const int TokenInvalid = 403;
    public const int UnknownKind = 404;
    public const int AlreadyAuthenticated = 405;
    public const int UnsupportedVersion = 406;
    public const int InvalidRequest = 422;
    public const int FrameTooLarge = 413;
    public const int Replaced = 409;
    public const int RateLimited = 429;
    public const int Internal = 500;

    // Refusals by the rules of groups and conversations (44x): retrying the same request will not help.
    public const int NotMember = 440;
    public const int Forbidden = 441;
    public const int Muted = 442;
    public const int NoSuchGroup = 443;
    public const int GroupExists = 444;
    public const int GroupFull = 445;
    public const int NotFound = 446;
    public const int RecallWindowPassed = 447;

    /// <summary>The user is banned: a hello is refused with it, and a ban closes live sessions with it.</summary>
    public const int Banned = 448;
    // A connection's own limits.
    public const int WatchLimit = 449;

    // A user's own choices (45x): decision 112.
    /// <summary>A 1:1 send refused because its recipient has blocked the sender.</summary>
    public const int Blocked = 450;

    /// <summary>A block that would take the user's block list past its limit.</summary>
    public const int BlockLimit = 451;

    /// <summary>A 1:1 send refused because the recipient holds the most unread messages one sender may leave (decision 132).</summary>
    public const int UnreadLimit = 452;
    public const int Unavailable = 503;

    // Closing-only codes: why the server closed the connection.
    public const int HeartbeatTimeout = 408;
    public const int SendQueueOverflow = 507;
    public const int ShuttingDown = 504;
    public const int Kicked = 410;

    /// <summary>No hello arrived within the edge's hello deadline.</summary>
    public const int HelloTimeout = 411;

    /// <summary>A frame that had started did not complete within the edge's frame deadline.</summary>
    public const int FrameTimeout = 412;

    /// <summary>
    /// The token was issued before a revocation of its user or device, or a refresh token was used twice: a hello,
    /// reauth or refresh is refused with it, and a revocation closes live sessions with it.
    /// </summary>
    public const int TokenRevoked = 414;

    public static string NameOf(int code) => code switch
    {
        MalformedFrame => "malformed_frame",
        NotAuthenticated => "not_authenticated",
        TokenExpired => "token_expired",
        TokenInvalid => "token_invalid",
        UnknownKind => "unknown_kind",
        AlreadyAuthenticated => "already_authenticated",
        UnsupportedVersion => "unsupported_version",
        InvalidRequest => "invalid_request",
        FrameTooLarge => "frame_too_large",
        Replaced => "replaced",
        RateLimited => "rate_limited",
        NotMember => "not_member",
        Forbidden => "forbidden",
        Muted => "muted",
        NoSuchGroup => "no_such_group",
        GroupExists => "group_exists",
        GroupFull => "group_full",
        NotFound => "not_found",
        RecallWindowPassed => "recall_window_passed",
        Banned => "banned",
        WatchLimit => "watch_limit",
        Blocked => "blocked",
        BlockLimit => "block_limit",
        UnreadLimit => "unread_limit",
        Internal => "internal",
        Unavailable => "unavailable",
        HeartbeatTimeout => "heartbeat_timeout",
        SendQueueOverflow => "send_queue_overflow",
        ShuttingDown => "shutting_down",
        Kicked => "kicked",
        HelloTimeout => "hello_timeout",
        FrameTimeout => "frame_timeout",
        TokenRevoked => "token_revoked",
        _ => "unknown",
    };
}
