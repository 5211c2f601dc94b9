using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using ImActors.Bench.Load;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Bench.Targets;

/// <summary>
/// A connection speaking the ImActors client protocol with the project's own framing and frame types
/// (<see cref="FrameEncoder"/>, <see cref="FrameReader"/>, <see cref="FrameDecoder"/>), without the SDK's
/// per-send retry machinery: a generator must be cheaper per message than the server it measures, and it
/// counts failures instead of hiding them behind retries.
/// </summary>
public sealed class ProtocolConnection : IBenchConnection
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly LoadCounters _counters;
    private readonly Lock _writeLock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiveLoop = Task.CompletedTask;
    private const int MaxMembersPerChange = 1000;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<ErrorFrame?>> _requests = new(StringComparer.Ordinal);
    private long _cmid;
    private long _retries;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _unacked = new(StringComparer.Ordinal);
    // Due times of the measured sends not ACKed yet, by cmid number: the ACK latency is measured from them.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _due = new();
    private TaskCompletionSource<long>? _sync;
    private long _syncAfter;
    private long _synced;

    private ProtocolConnection(Socket socket, Stream stream, string user, LoadCounters counters)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream);
        _counters = counters;
        User = user;
    }

    public string User { get; }

    /// <summary>False once the server closed the connection (or it broke): nothing sent on it arrives.</summary>
    public bool IsOpen => !_receiveLoop.IsCompleted;

    /// <summary>The inbox's highest seq when the server welcomed this connection.</summary>
    public long WelcomeInboxSeq { get; private set; }

    public static async Task<ProtocolConnection> ConnectAsync(
        EndPoint server, IPAddress? source, string user, string device, string token, LoadCounters counters, CancellationToken cancellationToken,
        RemoteCertificateValidationCallback? tls = null)
    {
        var socket = await SourceAddressSocket.ConnectAsync(server, source, cancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls is not null)
        {
            var secured = new SslStream(stream, leaveInnerStreamOpen: false, tls);
            try
            {
                await secured.AuthenticateAsClientAsync(((IPEndPoint)server).Address.ToString());
            }
            catch
            {
                await secured.DisposeAsync();
                throw;
            }

            stream = secured;
        }

        var connection = new ProtocolConnection(socket, stream, user, counters);
        try
        {
            connection.Write(FrameEncoder.Encode(FrameKind.Hello, new HelloFrame
            {
                Token = token, Device = device, Platform = "bench", Versions = ProtocolDefaults.SupportedVersions,
            }));
            // An overloaded edge may never answer: a client gives up on a silent handshake and reconnects.
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshake.CancelAfter(HandshakeTimeout);
            Frame? reply;
            try
            {
                reply = await connection.ReadFrameAsync(handshake.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HandshakeTimeoutException($"no welcome within {HandshakeTimeout.TotalSeconds:0} s");
            }

            if (reply is null)
            {
                throw new IOException("closed during the handshake");
            }

            switch (reply.Value.Body)
            {
                case WelcomeFrame welcome:
                    connection.WelcomeInboxSeq = welcome.InboxSeq;
                    break;
                case ErrorFrame error:
                    throw new HelloRefusedException(error);
                default:
                    throw new IOException($"expected a welcome, got {reply.Value.Kind}");
            }

            connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void SendDirect(string to, byte[] body)
    {
        var cmid = NextCmid(body);
        Send(cmid, FrameEncoder.Encode(FrameKind.Send, new SendFrame { ClientMessageId = cmid, To = to, ContentType = "application/octet-stream", Body = body }));
    }

    public void SendGroup(string group, byte[] body)
    {
        var cmid = NextCmid(body);
        Send(cmid, FrameEncoder.Encode(FrameKind.Send, new SendFrame { ClientMessageId = cmid, Group = group, ContentType = "application/octet-stream", Body = body }));
    }

    /// <summary>
    /// Send a send the server refused as retryable again (same cmid, after a pause, as the SDK does) instead of
    /// counting it as an error: for scenarios that must store every message, not measure the refusals.
    /// </summary>
    public bool RetryRefusedSends { get; set; }

    /// <summary>Sends refused as retryable and sent again (<see cref="RetryRefusedSends"/>).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Why the first of those was refused.</summary>
    public string? FirstRefusal { get; private set; }

    /// <summary>The highest-seq ACK this connection got: the last message it stored in its own inbox.</summary>
    public AckFrame? LastAck { get; private set; }

    // A client message id unique per sending user: the server's dedup window must never match one.
    private string NextCmid(byte[] body)
    {
        var number = Interlocked.Increment(ref _cmid);
        if (MessageStamp.TryRead(body, out var scheduled, out var measured) && measured)
        {
            _due[number] = scheduled;
        }

        return "b" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private long TakeDue(string? cmid) =>
        cmid is ['b', .. var digits] && long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && _due.TryRemove(number, out var scheduled) ? scheduled : 0;

    /// <summary>
    /// The creator creates the group with every member (in changes of at most 1000, the server's limit per
    /// change); membership is the server's, so the other members have nothing to do.
    /// </summary>
    public async Task JoinGroupAsync(string group, IReadOnlyList<string> members, bool creator, CancellationToken cancellationToken)
    {
        if (!creator)
        {
            return;
        }

        var others = members.Where(m => m != User).ToArray();
        await RequestAsync(new RequestFrame { Op = RequestOps.GroupCreate, Group = group, Members = others.Take(MaxMembersPerChange).ToArray() }, cancellationToken);
        foreach (var chunk in others.Skip(MaxMembersPerChange).Chunk(MaxMembersPerChange))
        {
            await RequestAsync(new RequestFrame { Op = RequestOps.GroupAdd, Group = group, Members = chunk }, cancellationToken);
        }
    }

    private async Task RequestAsync(RequestFrame request, CancellationToken cancellationToken)
    {
        request.RequestId = "r" + Interlocked.Increment(ref _cmid).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<ErrorFrame?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request.RequestId] = answer;
        try
        {
            Write(FrameEncoder.Encode(FrameKind.Request, request));
            if (await answer.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken) is { } error)
            {
                throw new IOException($"{request.Op} refused: {error.Code} {error.Name}: {error.Reason}");
            }
        }
        finally
        {
            _requests.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Watches the users' presence (<c>presence.watch</c>, at most 1000 per request); the snapshot answer is not kept.</summary>
    public Task WatchAsync(IReadOnlyList<string> users, CancellationToken cancellationToken) =>
        RequestAsync(new RequestFrame { Op = RequestOps.PresenceWatch, Members = [.. users] }, cancellationToken);

    /// <summary>Called on the receive loop for each <c>presence</c> push of a watched user; keep it short.</summary>
    public Action<PresenceFrame>? OnPresence { get; set; }

    public void Heartbeat() => Send(FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = Environment.TickCount64 }));

    /// <summary>The last message the latest sync returned.</summary>
    public MessageFrame? LastSynced { get; private set; }

    /// <summary>Fetches every inbox message after <paramref name="after"/>, page by page; returns how many arrived.</summary>
    public Task<long> SyncAsync(long after, int pageSize)
    {
        _sync = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _synced = 0;
        LastSynced = null;
        _syncAfter = after;
        Write(FrameEncoder.Encode(FrameKind.Sync, new SyncFrame { After = after, Limit = pageSize }));
        return _sync.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiveLoop;
        }
        catch (Exception)
        {
            // The loop ends with whatever the closed socket threw.
        }

        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private void Send(string cmid, byte[] frame)
    {
        if (RetryRefusedSends)
        {
            _unacked[cmid] = frame;
        }

        Send(frame);
    }

    // A resend of a refused send is not another send: it is written but not counted.
    private void Send(byte[] frame, bool counted = true)
    {
        try
        {
            Write(frame);
            if (counted)
            {
                _counters.OnSent();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            _counters.OnError("send failed: " + e.Message);
        }
    }

    private void Write(byte[] frame)
    {
        // Blocking write from the open-loop thread: a full socket buffer holds the schedule up, and the
        // messages behind it are then measured late from their due time, as they should be.
        lock (_writeLock)
        {
            if (_stream is SslStream tls)
            {
                tls.Write(frame);
                return;
            }

            var sent = 0;
            while (sent < frame.Length)
            {
                sent += _socket.Send(frame, sent, frame.Length - sent, SocketFlags.None);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await ReadFrameAsync(_stop.Token) is { } frame)
            {
                Handle(frame);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _counters.OnError("connection lost: " + e.Message);
        }

        _sync?.TrySetException(new IOException("the connection closed during a sync"));
    }

    private void Handle(Frame frame)
    {
        switch (frame.Body)
        {
            case MessageFrame message when message.From != User:
                _counters.OnDelivered(message.Body);
                break;
            case AckFrame ack:
                _unacked.TryRemove(ack.ClientMessageId, out _);
                _counters.OnAcked(TakeDue(ack.ClientMessageId));
                if (ack.Seq > (LastAck?.Seq ?? 0))
                {
                    LastAck = ack;
                }

                break;
            case ResultFrame result:
                if (_requests.TryGetValue(result.RequestId, out var done))
                {
                    done.TrySetResult(null);
                }

                break;
            case ErrorFrame { RequestId: { } rid } error when _requests.TryGetValue(rid, out var refused):
                refused.TrySetResult(error);
                break;
            case ErrorFrame { Retryable: true, ClientMessageId: { } cmid } refusal when _unacked.TryGetValue(cmid, out var again):
                Interlocked.Increment(ref _retries);
                FirstRefusal ??= $"{refusal.Code} {refusal.Name}: {refusal.Reason}";
                _ = Task.Delay(200).ContinueWith(_ => Send(again, counted: false), TaskScheduler.Default);
                break;
            case ErrorFrame error:
                TakeDue(error.ClientMessageId);
                _unacked.TryRemove(error.ClientMessageId ?? "", out _);
                _counters.OnError($"{error.Code} {error.Name}: {error.Reason}");
                _sync?.TrySetException(new IOException($"sync refused: {error.Code} {error.Name}"));
                break;
            case SyncPageFrame page:
                _synced += page.Messages.Length;
                LastSynced = page.Messages.Length > 0 ? page.Messages[^1] : LastSynced;
                if (page.HasMore && page.Messages.Length > 0)
                {
                    _syncAfter = page.Messages[^1].Seq;
                    Write(FrameEncoder.Encode(FrameKind.Sync, new SyncFrame { After = _syncAfter, Limit = ProtocolDefaults.MaxSyncPageSize }));
                }
                else
                {
                    _sync?.TrySetResult(_synced);
                }

                break;
            case PresenceFrame presence:
                OnPresence?.Invoke(presence);
                break;
            case ClosingFrame closing:
                _counters.OnError($"closed by the server: {closing.Code} {closing.Reason}");
                break;
        }
    }

    private ValueTask<Frame?> ReadFrameAsync(CancellationToken cancellationToken) =>
        _reader.ReadFrameAsync(ProtocolDefaults.MaxFrameBytes * 4, cancellationToken);
}

/// <summary>The server answered the hello with an error; <see cref="Retryable"/> ones (500, 503) are worth a reconnect.</summary>
public sealed class HelloRefusedException(ErrorFrame error) : IOException($"hello refused: {error.Code} {error.Name}: {error.Reason}")
{
    public bool Retryable => error.Retryable;
}

/// <summary>The server accepted the socket but sent no welcome in time; worth a reconnect like a retryable refusal.</summary>
public sealed class HandshakeTimeoutException(string message) : IOException(message);
