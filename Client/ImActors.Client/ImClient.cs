using System.Text;
using System.Threading.Channels;
using ImActors.Client.Inbox;
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
/// and hands the inbox to the application in order, each message once. Sends are retried with the same
/// client message id until ACKed, so a retry never creates a second message.
/// </summary>
public sealed class ImClient : IAsyncDisposable
{
    private readonly ImClientOptions _options;
    private readonly Channel<InboxMessage> _messages = Channel.CreateUnbounded<InboxMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly PendingSends _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<WelcomeFrame> _firstWelcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IFrameTransport? _transport;
    private InboxCursor? _cursor;
    private Task? _loop;
    private long? _syncAfter;

    public ImClient(ImClientOptions options)
    {
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("at least one server is needed", nameof(options));
        }

        _options = options;
    }

    /// <summary>The inbox, in seq order, each message once: live pushes and synced history alike.</summary>
    public ChannelReader<InboxMessage> Messages => _messages.Reader;

    /// <summary>The user id the server authenticated.</summary>
    public string? UserId { get; private set; }

    /// <summary>Every inbox seq up to here has been handed to the application or was sent by this device.</summary>
    public long LastSeq => _cursor?.Last ?? _options.ResumeAfterSeq ?? 0;

    /// <summary>Completes when the client stops for good: disposed, or refused by the server (bad token, replaced, kicked).</summary>
    public Task Completion => _completion.Task;

    public event Action<ConnectionEvent>? ConnectionChanged;

    /// <summary>Connects and logs in. Retries unreachable edges until <see cref="ImClientOptions.ConnectTimeout"/>; fails at once on a refused token.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        _loop ??= Task.Run(RunAsync);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _firstWelcome.Task.WaitAsync(timeout.Token);
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
    public async Task<SendReceipt> SendAsync(
        string to, string contentType, byte[] body, string? clientMessageId = null, CancellationToken cancellationToken = default)
    {
        if (_completion.Task.Exception?.InnerException is ImClientException stopped)
        {
            // Refused for good earlier (replaced, kicked, bad token): no connection will come back to carry this send.
            throw stopped;
        }

        var cmid = clientMessageId ?? Guid.NewGuid().ToString("N");
        var frame = FrameEncoder.Encode(FrameKind.Send, new SendFrame { ClientMessageId = cmid, To = to, ContentType = contentType, Body = body });
        var send = new PendingSend(cmid, frame);
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
        _cursor ??= new InboxCursor(_options.ResumeAfterSeq ?? welcome.InboxSeq);
        _syncAfter = null;
        _transport = transport;
        _firstWelcome.TrySetResult(welcome);
        ConnectionChanged?.Invoke(new ConnectionEvent(true, uri, null));

        var heartbeat = HeartbeatAsync(transport, TimeSpan.FromMilliseconds(Math.Max(100, welcome.HeartbeatMs)), session.Token);
        try
        {
            await RequestSyncAsync(transport, session.Token);
            foreach (var send in _pending.All)
            {
                await transport.SendAsync(send.Frame, session.Token);
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
        var cursor = _cursor!;
        switch (frame.Body)
        {
            case MessageFrame message:
                cursor.Accept(message, ready);
                break;
            case AckFrame ack:
                cursor.AcceptOwn(ack.Seq, ready);
                _pending.Find(ack.ClientMessageId)?.Done.TrySetResult(new SendReceipt(
                    ack.ClientMessageId, ack.MessageId, ack.Seq, DateTimeOffset.FromUnixTimeMilliseconds(ack.Timestamp), ack.Duplicate));
                break;
            case SyncPageFrame page:
                AcceptPage(page, ready);
                if (page.HasMore)
                {
                    await RequestSyncAsync(transport, cancellationToken);
                }

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
            case ErrorFrame error when error.Code is ErrorCodes.TokenExpired or ErrorCodes.TokenInvalid:
                throw new ImClientException(error.Code, error.Reason);
            case ClosingFrame closing when closing.Code is ErrorCodes.Replaced or ErrorCodes.Kicked:
                throw new ImClientException(closing.Code, closing.Reason);
            case ClosingFrame closing:
                throw new IOException($"closed by the server: {ErrorCodes.NameOf(closing.Code)}: {closing.Reason}");
        }

        if (cursor.HasGap && _syncAfter is null)
        {
            // A push arrived ahead of one we have not seen (pushes are best effort): fetch what is missing.
            await RequestSyncAsync(transport, cancellationToken);
        }
    }

    private void AcceptPage(SyncPageFrame page, List<MessageFrame> ready)
    {
        var cursor = _cursor!;
        var after = _syncAfter ?? cursor.Last;
        _syncAfter = null;
        if (page.Messages.Length > 0 && page.Messages[0].Seq > after + 1)
        {
            // Retention removed the messages in between: they no longer exist anywhere.
            cursor.SkipTo(page.Messages[0].Seq - 1, ready);
        }

        foreach (var message in page.Messages)
        {
            cursor.Accept(message, ready);
        }

        if (!page.HasMore && page.Messages.Length == 0 && cursor.HasGap)
        {
            // Nothing after our cursor, yet we hold later seqs: the ones between were trimmed.
            cursor.SkipToFirstHeld(ready);
        }
    }

    private async Task RequestSyncAsync(IFrameTransport transport, CancellationToken cancellationToken)
    {
        _syncAfter = _cursor!.Last;
        var sync = new SyncFrame { After = _cursor.Last, Limit = _options.SyncPageSize };
        await transport.SendAsync(FrameEncoder.Encode(FrameKind.Sync, sync), cancellationToken);
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
        _firstWelcome.TrySetException(reason);
        _completion.TrySetException(reason);
        _messages.Writer.TryComplete(reason);
        foreach (var send in _pending.All)
        {
            send.Done.TrySetException(reason);
        }
    }
}
