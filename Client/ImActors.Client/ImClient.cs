using System.Text;
using System.Threading.Channels;
using ImActors.Client.Inbox;
using ImActors.Client.Requests;
using ImActors.Client.Sending;
using ImActors.Client.Transports;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client;

/// <summary>A change of the client's connection, for logs and status displays.</summary>
public sealed record ConnectionEvent(bool Connected, Uri Server, string? Reason);

/// <summary>
/// One device of one user. Keeps a connection to one of the configured edges, reconnects with backoff
/// (trying the next edge each time), syncs everything after the last seq it holds on every connect,
/// and hands the inbox and the timelines of the user's groups to the application in order, each message once.
/// Sends are retried with the same client message id until ACKed, so a retry never creates a second message.
/// </summary>
public sealed partial class ImClient : IAsyncDisposable
{
    private readonly ImClientOptions _options;
    private readonly Channel<InboxMessage> _messages = Channel.CreateUnbounded<InboxMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly PendingSends _pending = new();
    private readonly PendingRequests _requests = new();
    private readonly CancellationTokenSource _stop = new();
    // Completes once the first connection is welcomed and knows the user's groups: from then on, everything
    // new in the inbox and in every group reaches the application.
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IFrameTransport? _transport;
    private CursorSet? _cursors;
    private Task? _loop;
    private bool _welcomedBefore;
    private long _requestIds;

    public ImClient(ImClientOptions options)
    {
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("at least one server is needed", nameof(options));
        }

        _options = options;
    }

    /// <summary>
    /// The inbox and the user's group timelines, each in seq order and each message once: live pushes and synced
    /// history alike. Group entries have <see cref="InboxMessage.Group"/> set.
    /// </summary>
    public ChannelReader<InboxMessage> Messages => _messages.Reader;

    /// <summary>The user id the server authenticated.</summary>
    public string? UserId { get; private set; }

    /// <summary>Every inbox seq up to here has been handed to the application or was sent by this device.</summary>
    public long LastSeq => _cursors?.Inbox.Last ?? _options.ResumeAfterSeq ?? 0;

    /// <summary>Per group: every timeline seq up to here has been handed to the application (or was sent by this device).</summary>
    public IReadOnlyDictionary<string, long> GroupSeqs => _cursors?.Snapshot() ?? _options.ResumeGroups ?? new Dictionary<string, long>();

    /// <summary>Completes when the client stops for good: disposed, or refused by the server (bad token, replaced, kicked).</summary>
    public Task Completion => _completion.Task;

    public event Action<ConnectionEvent>? ConnectionChanged;

    /// <summary>Someone is typing to this user (<see cref="TypingNotice.Group"/> null) or in a group. Raised on the receive loop: do not block.</summary>
    public event Action<TypingNotice>? TypingReceived;

    /// <summary>The user's read cursor of a conversation moved on another device. Raised on the receive loop: do not block.</summary>
    public event Action<ReadStateUpdate>? ReadStateChanged;

    /// <summary>A peer read this user's messages. Raised on the receive loop: do not block.</summary>
    public event Action<ReadReceipt>? ReceiptReceived;

    /// <summary>Connects, logs in and learns the user's groups (so nothing new in any of them is missed from here on). Retries unreachable edges until <see cref="ImClientOptions.ConnectTimeout"/>; fails at once on a refused token.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        _loop ??= Task.Run(RunAsync);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _ready.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImClientException(ErrorCodes.Unavailable, $"no edge answered within {_options.ConnectTimeout.TotalSeconds:0.#} s ({string.Join(", ", _options.Servers)})");
        }
    }

    public Task<SendReceipt> SendTextAsync(string to, string text, string? clientMessageId = null, CancellationToken cancellationToken = default) =>
        SendAsync(to, ContentTypes.Text, Encoding.UTF8.GetBytes(text), clientMessageId, cancellationToken);

    /// <summary>
    /// Sends a 1:1 message and returns its durable ACK. Retried (same client message id) across timeouts,
    /// retryable errors and reconnects until <see cref="ImClientOptions.SendDeadline"/>.
    /// </summary>
    public Task<SendReceipt> SendAsync(
        string to, string contentType, byte[] body, string? clientMessageId = null, CancellationToken cancellationToken = default) =>
        SendFrameAsync(new SendFrame { To = to, ContentType = contentType, Body = body }, clientMessageId, cancellationToken);

    public Task<SendReceipt> SendGroupTextAsync(string groupId, string text, string? clientMessageId = null, CancellationToken cancellationToken = default) =>
        SendGroupAsync(groupId, ContentTypes.Text, Encoding.UTF8.GetBytes(text), clientMessageId, cancellationToken);

    /// <summary>Sends to a group; the receipt's seq is the group timeline's. Retried like <see cref="SendAsync"/>.</summary>
    public Task<SendReceipt> SendGroupAsync(
        string groupId, string contentType, byte[] body, string? clientMessageId = null, CancellationToken cancellationToken = default) =>
        SendFrameAsync(new SendFrame { Group = groupId, ContentType = contentType, Body = body }, clientMessageId, cancellationToken);

    private async Task<SendReceipt> SendFrameAsync(SendFrame message, string? clientMessageId, CancellationToken cancellationToken)
    {
        if (_completion.Task.Exception?.InnerException is ImClientException stopped)
        {
            // Refused for good earlier (replaced, kicked, bad token): no connection will come back to carry this send.
            throw stopped;
        }

        var cmid = clientMessageId ?? Guid.NewGuid().ToString("N");
        message.ClientMessageId = cmid;
        var frame = FrameEncoder.Encode(FrameKind.Send, message);
        var send = new PendingSend(cmid, frame, message.Group);
        _pending.Add(send);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        deadline.CancelAfter(_options.SendDeadline);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                // While disconnected nothing below observes the deadline (the delay just completes as cancelled): without this the loop spins.
                deadline.Token.ThrowIfCancellationRequested();
                send.ResetNudge();
                await TrySendAsync(frame, deadline.Token);
                var signal = await Task.WhenAny(send.Done.Task, send.Nudged, Task.Delay(_options.AckTimeout, deadline.Token));
                if (signal == send.Done.Task)
                {
                    return await send.Done.Task;
                }

                if (signal == send.Nudged)
                {
                    // The server said "try again": back off a little so a store outage is not hammered.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(attempt, 5)))), deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImClientException(0, $"no ACK for {cmid} within {_options.SendDeadline.TotalSeconds:0.#} s" +
                                           (send.LastError is null ? "" : $"; last error: {send.LastError}"));
        }
        finally
        {
            _pending.Remove(send);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _completion.TrySetResult();
        _messages.Writer.TryComplete();
        foreach (var request in _requests.All)
        {
            request.Done.TrySetException(new ImClientException(0, "the client was disposed"));
        }
    }

    private async Task TrySendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        if (_transport is { } transport)
        {
            try
            {
                await transport.SendAsync(frame, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the receive loop notices and reconnects, and pending sends go out again then.
            }
        }
    }

    private async Task RunAsync()
    {
        var failures = 0;
        for (var server = 0; !_stop.IsCancellationRequested; server++)
        {
            var uri = _options.Servers[server % _options.Servers.Count];
            try
            {
                await using var transport = await ConnectTransportAsync(uri);
                var welcome = await HandshakeAsync(transport);
                failures = 0;
                await SessionAsync(transport, uri, welcome);
            }
            catch (ImClientException fatal)
            {
                Stop(fatal);
                return;
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                ConnectionChanged?.Invoke(new ConnectionEvent(false, uri, e.Message));
            }
            catch (Exception)
            {
                break;
            }
            finally
            {
                _transport = null;
            }

            // Exponential backoff with jitter, so a thousand clients of a dead edge do not return in one burst.
            var ceiling = Math.Min(_options.ReconnectDelayMax.TotalMilliseconds, _options.ReconnectDelayMin.TotalMilliseconds * (1 << Math.Min(failures++, 10)));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling + _options.ReconnectDelayMin.TotalMilliseconds / 2), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<IFrameTransport> ConnectTransportAsync(Uri uri)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        // Server frames wrap a client's payload (a push adds ids and names to a body that may itself be near
        // the limit), so accept a generous multiple of the client-side maximum.
        return await FrameTransports.ConnectAsync(uri, ProtocolDefaults.MaxFrameBytes * 4, timeout.Token);
    }

    private async Task<WelcomeFrame> HandshakeAsync(IFrameTransport transport)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var token = await _options.TokenProvider(timeout.Token);
        var hello = new HelloFrame { Token = token, Device = _options.Device, Platform = _options.Platform, Versions = ProtocolDefaults.SupportedVersions };
        await transport.SendAsync(FrameEncoder.Encode(FrameKind.Hello, hello), timeout.Token);
        var reply = await transport.ReceiveAsync(timeout.Token) ?? throw new IOException("the server closed the connection during the handshake");
        return reply.Body switch
        {
            WelcomeFrame welcome => welcome,
            ErrorFrame { Retryable: true } error => throw new IOException($"{error.Name}: {error.Reason}"),
            ErrorFrame error => throw new ImClientException(error.Code, error.Reason),
            _ => throw new IOException($"expected a welcome, got {reply.Kind}"),
        };
    }

    private async Task SessionAsync(IFrameTransport transport, Uri uri, WelcomeFrame welcome)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        UserId = welcome.User;
        _cursors ??= new CursorSet(_options.ResumeAfterSeq ?? welcome.InboxSeq, _options.ResumeGroups);
        _cursors.ResetSyncs();
        _transport = transport;
        ConnectionChanged?.Invoke(new ConnectionEvent(true, uri, null));

        var heartbeat = HeartbeatAsync(transport, TimeSpan.FromMilliseconds(Math.Max(100, welcome.HeartbeatMs)), session.Token);
        try
        {
            await RequestSyncAsync(transport, CursorSet.InboxKey, session.Token);
            await RequestConversationsAsync(transport, after: null, session.Token);
            foreach (var send in _pending.All)
            {
                await transport.SendAsync(send.Frame, session.Token);
            }

            foreach (var request in _requests.All)
            {
                await transport.SendAsync(request.Frame, session.Token);
            }

            var ready = new List<MessageFrame>();
            while (true)
            {
                var frame = await transport.ReceiveAsync(session.Token) ?? throw new IOException("the server closed the connection");
                ready.Clear();
                await HandleAsync(transport, frame, ready, session.Token);
                foreach (var message in ready)
                {
                    _messages.Writer.TryWrite(InboxMessage.FromFrame(message));
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            try
            {
                await heartbeat;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task HandleAsync(IFrameTransport transport, Frame frame, List<MessageFrame> ready, CancellationToken cancellationToken)
    {
        var cursors = _cursors!;
        // The log this frame moved, checked for gaps afterwards.
        string? touched = null;
        switch (frame.Body)
        {
            case MessageFrame { Group: null } message:
                cursors.Inbox.Accept(message, ready);
                touched = CursorSet.InboxKey;
                break;
            case MessageFrame message:
                // A group new to this device (just joined): its history starts at this entry, normally the join event.
                cursors.GetOrAddGroup(message.Group, message.Seq - 1).Accept(message, ready);
                touched = message.Group;
                break;
            case AckFrame ack:
                var sent = _pending.Find(ack.ClientMessageId);
                if (sent?.Group is { } group)
                {
                    cursors.Group(group)?.AcceptOwn(ack.Seq, ready);
                }
                else
                {
                    cursors.Inbox.AcceptOwn(ack.Seq, ready);
                    touched = CursorSet.InboxKey;
                }

                sent?.Done.TrySetResult(new SendReceipt(
                    ack.ClientMessageId, ack.MessageId, ack.Seq, DateTimeOffset.FromUnixTimeMilliseconds(ack.Timestamp), ack.Duplicate));
                break;
            case SyncPageFrame page:
                var key = page.Group ?? CursorSet.InboxKey;
                if (page.Group is not null && cursors.Group(page.Group) is null)
                {
                    break;
                }

                cursors.EndSync(key);
                AcceptPage(cursors.Of(key), page, ready);
                if (page.HasMore)
                {
                    await RequestSyncAsync(transport, key, cancellationToken);
                }

                touched = key;
                break;
            case ResultFrame result when result.RequestId.StartsWith(ConversationsRequestPrefix, StringComparison.Ordinal):
                await CatchUpGroupsAsync(transport, result, cancellationToken);
                break;
            case ErrorFrame { RequestId: not null } error when error.RequestId.StartsWith(ConversationsRequestPrefix, StringComparison.Ordinal):
                // The groups stay as they are until the next connect asks again; the inbox works regardless.
                _ready.TrySetResult();
                break;
            case ResultFrame result:
                _requests.Find(result.RequestId)?.Done.TrySetResult(result);
                break;
            case ErrorFrame error when _pending.Find(error.ClientMessageId) is { } send:
                if (error.Retryable)
                {
                    send.Retryable($"{error.Name}: {error.Reason}");
                }
                else
                {
                    send.Done.TrySetException(new ImClientException(error.Code, error.Reason));
                }

                break;
            case ErrorFrame { RequestId: not null } error when error.RequestId.StartsWith(SyncRequestPrefix, StringComparison.Ordinal):
                var failed = error.RequestId[SyncRequestPrefix.Length..];
                cursors.EndSync(failed);
                if (error.Code is ErrorCodes.NotMember or ErrorCodes.NoSuchGroup)
                {
                    // Left, removed or dissolved: nothing more to read there.
                    cursors.RemoveGroup(failed);
                }

                break;
            case ErrorFrame error when _requests.Find(error.RequestId) is { } request:
                request.Done.TrySetException(new ImClientException(error.Code, error.Reason));
                break;
            case ErrorFrame error when error.Code is ErrorCodes.TokenExpired or ErrorCodes.TokenInvalid:
                throw new ImClientException(error.Code, error.Reason);
            case TypingFrame typing:
                TypingReceived?.Invoke(new TypingNotice(typing.From ?? "", typing.Group));
                break;
            case ReadStateFrame read:
                ReadStateChanged?.Invoke(new ReadStateUpdate(read.Peer, read.Group, read.ReadSeq, read.Unread));
                break;
            case ReceiptFrame receipt:
                ReceiptReceived?.Invoke(new ReadReceipt(receipt.Peer, receipt.Seq));
                break;
            case ClosingFrame closing when closing.Code is ErrorCodes.Replaced or ErrorCodes.Kicked:
                throw new ImClientException(closing.Code, closing.Reason);
            case ClosingFrame closing:
                throw new IOException($"closed by the server: {ErrorCodes.NameOf(closing.Code)}: {closing.Reason}");
        }

        if (touched is not null && cursors.Of(touched).HasGap && !cursors.IsSyncing(touched))
        {
            // A push arrived ahead of one we have not seen (pushes are best effort): fetch what is missing.
            await RequestSyncAsync(transport, touched, cancellationToken);
        }
    }

    private static void AcceptPage(InboxCursor cursor, SyncPageFrame page, List<MessageFrame> ready)
    {
        if (page.Floor > cursor.Last)
        {
            // The reader's history starts later (a group joined after this cursor): nothing before exists for them.
            cursor.SkipTo(page.Floor, ready);
        }

        foreach (var message in page.Messages)
        {
            // A page holds every entry of the seqs it covers, so a seq it steps over holds nothing: trimmed by
            // retention (before its first entry), or a send the store recovered only in part after a crash.
            cursor.SkipTo(message.Seq - 1, ready);
            cursor.Accept(message, ready);
        }

        if (!page.HasMore && page.Messages.Length == 0 && cursor.HasGap)
        {
            // Nothing after our cursor, yet we hold later seqs: the ones between were trimmed.
            cursor.SkipToFirstHeld(ready);
        }
    }

    private async Task RequestSyncAsync(IFrameTransport transport, string key, CancellationToken cancellationToken)
    {
        var after = _cursors!.Of(key).Last;
        _cursors.StartSync(key);
        var sync = new SyncFrame
        {
            Group = key == CursorSet.InboxKey ? null : key, RequestId = SyncRequestPrefix + key, After = after, Limit = _options.SyncPageSize,
        };
        await transport.SendAsync(FrameEncoder.Encode(FrameKind.Sync, sync), cancellationToken);
    }

    private const string ConversationsRequestPrefix = "sdk-conversations-";

    // Syncs carry "sync:<group>" ("sync:" for the inbox) so that an error answering one names its log.
    private const string SyncRequestPrefix = "sync:";

    /// <summary>
    /// Asks for the conversation list on every connect: every group with entries past this device's cursor is
    /// then synced (read diffusion: group messages are not in the inbox, so the inbox sync alone would miss them).
    /// </summary>
    private async Task RequestConversationsAsync(IFrameTransport transport, string? after, CancellationToken cancellationToken)
    {
        var request = new RequestFrame
        {
            RequestId = ConversationsRequestPrefix + Interlocked.Increment(ref _requestIds), Op = RequestOps.Conversations,
            After = after, Limit = ProtocolDefaults.MaxSyncPageSize,
        };
        await transport.SendAsync(FrameEncoder.Encode(FrameKind.Request, request), cancellationToken);
    }

    private async Task CatchUpGroupsAsync(IFrameTransport transport, ResultFrame result, CancellationToken cancellationToken)
    {
        var cursors = _cursors!;
        foreach (var conversation in (result.Conversations ?? []).Where(c => c.Type == "group"))
        {
            // A device that asked to start at the end (no resume position) starts groups at their end on its first
            // connect; afterwards a group it has not seen yet was joined meanwhile and is read from the join.
            var start = !_welcomedBefore && _options.ResumeAfterSeq is null && _options.ResumeGroups is null
                ? conversation.LastSeq
                : conversation.FirstSeq;
            var cursor = cursors.GetOrAddGroup(conversation.Id, start);
            if (conversation.LastSeq > cursor.Last && !cursors.IsSyncing(conversation.Id))
            {
                await RequestSyncAsync(transport, conversation.Id, cancellationToken);
            }
        }

        if (result.Next is not null)
        {
            await RequestConversationsAsync(transport, result.Next, cancellationToken);
        }
        else
        {
            _welcomedBefore = true;
            _ready.TrySetResult();
        }
    }

    private async Task HeartbeatAsync(IFrameTransport transport, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        var reported = -1L;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var last = LastSeq;
            if (last != reported)
            {
                await transport.SendAsync(FrameEncoder.Encode(FrameKind.Delivered, new DeliveredFrame { UpTo = last }), cancellationToken);
                reported = last;
            }
            else
            {
                await transport.SendAsync(FrameEncoder.Encode(FrameKind.Ping, new PingFrame { T = Environment.TickCount64 }), cancellationToken);
            }
        }
    }

    private void Stop(ImClientException reason)
    {
        _ready.TrySetException(reason);
        _completion.TrySetException(reason);
        _messages.Writer.TryComplete(reason);
        foreach (var send in _pending.All)
        {
            send.Done.TrySetException(reason);
        }

        foreach (var request in _requests.All)
        {
            request.Done.TrySetException(reason);
        }
    }
}
