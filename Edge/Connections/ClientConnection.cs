using System.IO.Pipelines;
using ImActors.Edge.Calls;
using ImActors.Edge.Limits;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Connections;

/// <summary>
/// One client connection's state and output, on any transport: who it is (ids, session), the welcome gate that
/// holds pushes until the welcome is written, its rate gates, its send queue and its closing. It reads nothing:
/// <see cref="ConnectionLoop"/> reads the frames and the dispatcher's handlers answer through this.
/// </summary>
public sealed class ClientConnection
{
    private readonly IDuplexPipe _transport;
    private readonly OutboundQueue _queue;
    private readonly ILogger _logger;
    // Pushes that arrived before the welcome; also the welcome gate's lock. It lives only until the welcome,
    // after which pushes take no lock at all, so the gate costs an open connection nothing.
    private List<byte[]>? _heldUntilWelcome = [];
    private RateGate? _typingGate;
    private long _lastActivity = Environment.TickCount64;
    private long _frameStartedAt;
    private long _tokenExpiresAt = long.MaxValue;
    // 0 while open; then the code the edge closed it with (one field: an idle connection is all its fields).
    private int _closing;

    internal ClientConnection(long id, IDuplexPipe transport, int sendQueueLimit, ILogger logger, long openedAt)
    {
        Id = id;
        _transport = transport;
        _queue = new OutboundQueue(transport.Output, sendQueueLimit);
        _logger = logger;
        OpenedAt = openedAt;
    }

    /// <summary>When the connection was accepted (a <see cref="TimeProvider"/> timestamp): the hello deadline counts from here.</summary>
    internal long OpenedAt { get; }

    /// <summary>When the first bytes of a frame not yet complete arrived (a <see cref="TimeProvider"/> timestamp); 0 when none is pending.</summary>
    internal long FrameStartedAt
    {
        get => Interlocked.Read(ref _frameStartedAt);
        set => Interlocked.Exchange(ref _frameStartedAt, value);
    }

    /// <summary>When the session's token expires, Unix milliseconds (a reauth moves it); the session is closed with 402 then.</summary>
    internal long TokenExpiresAtMs
    {
        get => Interlocked.Read(ref _tokenExpiresAt);
        set => Interlocked.Exchange(ref _tokenExpiresAt, value);
    }

    /// <summary>This connection's rate buckets, made with its first limited frame. Only the read loop touches it.</summary>
    internal ConnectionBudget? Budget { get; set; }

    /// <summary>Unique within this run of the edge.</summary>
    public long Id { get; }

    /// <summary>Set once the hello is accepted.</summary>
    public SessionInfo? Session { get; private set; }

    public string? UserId { get; private set; }

    /// <summary>Message bodies over the threshold go to this connection compressed: its hello offered it (decision 105).</summary>
    public bool Compresses { get; internal set; }

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The user <see cref="LocalConnections"/> filed this connection under; read and written under its lock only.</summary>
    internal string? IndexedUser { get; set; }

    /// <summary>Milliseconds since the last frame arrived from the client.</summary>
    public long SilentForMs => Environment.TickCount64 - Interlocked.Read(ref _lastActivity);

    /// <summary>Set by a close or a refusal: the read loop stops before the next frame.</summary>
    internal bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>The code the edge closed or refused the connection with; 0 while open or when the client ended it.</summary>
    internal int CloseCode => Volatile.Read(ref _closing);

    /// <summary>Limits typing notices: they are cheap to send and fan out to every online participant.
    /// Made on the first notice: most connections never send one. Only the read loop touches it.</summary>
    internal RateGate TypingGate => _typingGate ??= new(burst: 5, perSecond: 1);

    /// <summary>A frame arrived: the heartbeat's clock starts again.</summary>
    internal void MarkActive() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>Queues a frame. A full queue means the client stopped reading: it is closed and will resync.</summary>
    public void Send(byte[] frame)
    {
        // A push can race the welcome (the grain knows the session before the welcome is written); the
        // welcome must be the first frame a client sees. Once welcomed, pushes skip the lock entirely.
        if (Volatile.Read(ref _heldUntilWelcome) is { } held)
        {
            lock (held)
            {
                if (_heldUntilWelcome is not null)
                {
                    _heldUntilWelcome.Add(frame);
                    return;
                }
            }
        }

        Enqueue(frame);
    }

    /// <summary>Sends a frame that answers the client directly (welcome, ack, error, pong, sync page).</summary>
    internal void Reply<T>(FrameKind kind, T body) => Enqueue(FrameEncoder.Encode(kind, body));

    /// <summary>Authenticates the connection and sends the welcome, then whatever pushes arrived while it was being prepared.</summary>
    internal void Welcome(string userId, SessionInfo session, WelcomeFrame welcome)
    {
        var held = _heldUntilWelcome!;
        lock (held)
        {
            UserId = userId;
            Session = session;
            Enqueue(FrameEncoder.Encode(FrameKind.Welcome, welcome));
            foreach (var frame in held)
            {
                Enqueue(frame);
            }

            Volatile.Write(ref _heldUntilWelcome, null);
        }
    }

    internal void ReplyError(
        int code, string reason, bool retryable = false, string? clientMessageId = null, string? requestId = null, int retryAfterMs = 0) =>
        Reply(FrameKind.Error, new ErrorFrame
        {
            Code = code, Name = ErrorCodes.NameOf(code), Reason = reason, Retryable = retryable, ClientMessageId = clientMessageId,
            RequestId = requestId, RetryAfterMs = retryAfterMs,
        });

    /// <summary>A 429: the frame was not handled; the client may send it again after <paramref name="retryAfter"/>.</summary>
    internal void ReplyRateLimited(string reason, TimeSpan retryAfter, string? clientMessageId, string? requestId) =>
        ReplyError(ErrorCodes.RateLimited, reason, retryable: true, clientMessageId, requestId, (int)Math.Ceiling(retryAfter.TotalMilliseconds));

    /// <summary>Tells the client why a call to the cluster failed; the cmid or rid says which frame it answers.</summary>
    internal void ReplyError(ClientError error, string? clientMessageId = null, string? requestId = null) =>
        ReplyError(error.Code, error.Reason, error.Retryable, clientMessageId, requestId);

    /// <summary>
    /// An error frame, then the close: what the client sent means it cannot be trusted further, or (with a
    /// <paramref name="retryAfter"/>) must come back later.
    /// </summary>
    internal void Refuse(int code, string reason, bool retryable = false, TimeSpan retryAfter = default)
    {
        ReplyError(code, reason, retryable, retryAfterMs: (int)Math.Ceiling(retryAfter.TotalMilliseconds));
        _queue.Complete();
        Interlocked.CompareExchange(ref _closing, code, 0);
    }

    /// <summary>Sends a closing frame (when the queue has room) and ends the connection. Safe from any thread, more than once.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.CompareExchange(ref _closing, code, 0) != 0)
        {
            return;
        }

        _logger.LogDebug("Closing connection {ConnectionId}: {Code} {Reason}", Id, code, reason);
        _queue.TryEnqueue(FrameEncoder.Encode(FrameKind.Closing, new ClosingFrame { Code = code, Reason = reason }));
        _queue.Complete();
        _transport.Input.CancelPendingRead();
    }

    /// <summary>No more frames; the task ends once every queued frame is written (or writing failed).</summary>
    internal Task CompleteAndDrainAsync() => _queue.CompleteAndDrainAsync();

    private void Enqueue(byte[] frame)
    {
        if (!_queue.TryEnqueue(frame) && !IsClosing)
        {
            Close(ErrorCodes.SendQueueOverflow, "the client is not reading fast enough; reconnect and sync");
        }
    }
}
