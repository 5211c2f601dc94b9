using Microsoft.AspNetCore.Connections;
using System.Buffers;
using System.IO.Pipelines;
using ImActors.Edge.Calls;
using ImActors.Edge.Sessions;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Connections;

/// <summary>
/// One client connection on any transport: it reads frames from the transport's pipe, hands them to
/// the <see cref="SessionProtocol"/>, and owns the connection's send queue and its closing. The
/// transport (TCP, WebSocket) is only a duplex pipe of length-prefixed frames to this class.
/// </summary>
public sealed class ClientConnection
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IDuplexPipe _transport;
    private readonly Action _abort;
    private readonly SessionProtocol _protocol;
    private readonly LocalConnections _connections;
    private readonly OutboundQueue _queue;
    private readonly int _maxFrameBytes;
    private readonly ILogger _logger;
    // Pushes that arrived before the welcome; also the welcome gate's lock. It lives only until the welcome,
    // after which pushes take no lock at all, so the gate costs an open connection nothing.
    private List<byte[]>? _heldUntilWelcome = [];
    private RateGate? _typingGate;
    private long _lastActivity = Environment.TickCount64;
    private int _closing;

    internal ClientConnection(
        IDuplexPipe transport, Action abort, SessionProtocol protocol, LocalConnections connections, EdgeSettings settings, ILogger logger)
    {
        Id = connections.NextId();
        _transport = transport;
        _abort = abort;
        _protocol = protocol;
        _connections = connections;
        _queue = new OutboundQueue(transport.Output, settings.SendQueueLimit);
        _maxFrameBytes = settings.MaxFrameBytes;
        _logger = logger;
    }

    /// <summary>Unique within this run of the edge.</summary>
    public long Id { get; }

    /// <summary>Set once the hello is accepted.</summary>
    public SessionInfo? Session { get; private set; }

    public string? UserId { get; private set; }

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The user <see cref="LocalConnections"/> filed this connection under; read and written under its lock only.</summary>
    internal string? IndexedUser { get; set; }

    /// <summary>Milliseconds since the last frame arrived from the client.</summary>
    public long SilentForMs => Environment.TickCount64 - Interlocked.Read(ref _lastActivity);

    /// <summary>
    /// The connection's whole life: registered with <see cref="LocalConnections"/>, frames read until either side
    /// ends it, queued frames drained, the session ended, unregistered. One state machine per idle connection:
    /// the read loop is inlined here and writes run only while there is something to write.
    /// </summary>
    public async Task RunAsync()
    {
        _connections.Add(this);
        try
        {
            try
            {
                var input = _transport.Input;
                var open = true;
                while (open && Volatile.Read(ref _closing) == 0)
                {
                    var result = await input.ReadAsync();
                    var buffer = result.Buffer;
                    try
                    {
                        while (open && Volatile.Read(ref _closing) == 0)
                        {
                            var status = FrameReader.TryRead(ref buffer, _maxFrameBytes, out var payload, out var length);
                            if (status == FrameReadStatus.Incomplete)
                            {
                                break;
                            }

                            Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
                            if (status == FrameReadStatus.TooLarge)
                            {
                                Refuse(ErrorCodes.FrameTooLarge, $"frame of {length} bytes is over the maximum of {_maxFrameBytes}");
                                open = false;
                            }
                            else if (status == FrameReadStatus.Empty)
                            {
                                Refuse(ErrorCodes.MalformedFrame, "empty frame");
                                open = false;
                            }
                            else
                            {
                                open = await HandleFrameAsync(payload);
                            }
                        }

                        open &= !result.IsCompleted && !result.IsCanceled;
                    }
                    finally
                    {
                        input.AdvanceTo(buffer.Start, buffer.End);
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
            {
                // The peer went away: nothing to report.
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Connection {ConnectionId} failed", Id);
            }
            finally
            {
                var drained = _queue.CompleteAndDrainAsync();
                if (!drained.IsCompleted && await Task.WhenAny(drained, Task.Delay(DrainTimeout)) != drained)
                {
                    // The client stopped reading and its socket is full: drop the connection hard.
                    _abort();
                }

                await _transport.Output.CompleteAsync();
                await _protocol.OnClosedAsync(this);
            }
        }
        finally
        {
            _connections.Remove(this);
        }
    }

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

    internal void ReplyError(int code, string reason, bool retryable = false, string? clientMessageId = null, string? requestId = null) =>
        Reply(FrameKind.Error, new ErrorFrame
        {
            Code = code, Name = ErrorCodes.NameOf(code), Reason = reason, Retryable = retryable, ClientMessageId = clientMessageId,
            RequestId = requestId,
        });

    /// <summary>Tells the client why a call to the cluster failed; the cmid or rid says which frame it answers.</summary>
    internal void ReplyError(ClientError error, string? clientMessageId = null, string? requestId = null) =>
        ReplyError(error.Code, error.Reason, error.Retryable, clientMessageId, requestId);

    /// <summary>Limits typing notices: they are cheap to send and fan out to every online participant.
    /// Made on the first notice: most connections never send one. Only the read loop touches it.</summary>
    internal RateGate TypingGate => _typingGate ??= new(burst: 5, perSecond: 1);

    /// <summary>Sends a closing frame (when the queue has room) and ends the connection. Safe from any thread, more than once.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        _logger.LogDebug("Closing connection {ConnectionId}: {Code} {Reason}", Id, code, reason);
        _queue.TryEnqueue(FrameEncoder.Encode(FrameKind.Closing, new ClosingFrame { Code = code, Reason = reason }));
        _queue.Complete();
        _transport.Input.CancelPendingRead();
    }

    private void Enqueue(byte[] frame)
    {
        if (!_queue.TryEnqueue(frame) && Volatile.Read(ref _closing) == 0)
        {
            Close(ErrorCodes.SendQueueOverflow, "the client is not reading fast enough; reconnect and sync");
        }
    }

    /// <summary>False when the connection must close.</summary>
    private async Task<bool> HandleFrameAsync(ReadOnlySequence<byte> payload)
    {
        Frame frame;
        try
        {
            frame = FrameDecoder.Decode(payload);
        }
        catch (ProtocolViolationException e) when (e.Code == ErrorCodes.UnknownKind)
        {
            // The framing is intact, so whether to carry on is the protocol's call.
            return _protocol.HandleUnknownKind(this, e.Message);
        }
        catch (ProtocolViolationException e)
        {
            Refuse(e.Code, e.Message);
            return false;
        }

        return await _protocol.HandleAsync(this, frame);
    }

    /// <summary>An error frame, then the close: what the client sent means it cannot be trusted further.</summary>
    internal void Refuse(int code, string reason, bool retryable = false)
    {
        ReplyError(code, reason, retryable);
        _queue.Complete();
        Interlocked.Exchange(ref _closing, 1);
    }
}
