using ImActors.Client.Selection;
using ImActors.Client.Transports;
using ImActors.Protocol;
using ImActors.Protocol.Compression;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using ImActors.Protocol.Retry;

namespace ImActors.Client.Connections;

/// <summary>
/// Keeps the client connected to one of the configured edges: the next one after each failure, with backoff between
/// attempts. Says hello, keeps the welcomed connection alive, and hands what the server sends to the
/// <see cref="IConnectionHandler"/>, one frame at a time and in order. Only a refusal no reconnect can fix (a bad
/// token, replaced, kicked) or the client's own stop ends it.
/// </summary>
internal sealed class ConnectionSupervisor(ImClientOptions options, IConnectionHandler handler, CancellationToken stop)
{
    private readonly EdgeDirectory? _directory =
        options.EdgeDirectory is { } directory ? new EdgeDirectory(directory, options.PreferWebSocket, options.ConnectTimeout) : null;

    // Read once: a missing or unreadable file fails the client's construction, not every connection attempt.
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2Collection _trustedRoots =
        CertificateTrust.LoadRoots(options.TrustedCertificatesPath);
    private IFrameTransport? _transport;
    private Task? _loop;

    /// <summary>The current connection's welcome agreed on body compression: sends over the threshold may go compressed.</summary>
    public bool Compresses { get; private set; }

    /// <summary>Completes when the supervisor has stopped for good; at once when it never started.</summary>
    public Task Stopped => _loop ?? Task.CompletedTask;

    /// <summary>Starts connecting; later calls do nothing.</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Sends on the current connection, if there is one; a frame that finds none is lost.</summary>
    public async Task TrySendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        if (_transport is { } transport)
        {
            try
            {
                await transport.SendAsync(frame, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the receive loop notices and reconnects, and pending sends and requests go
                // out again then.
            }
        }
    }

    private async Task RunAsync()
    {
        // Reconnects back off exponentially with jitter (see Backoff); a welcome starts the count again.
        var backoff = new Backoff(options.ReconnectDelayMin, options.ReconnectDelayMax, jitter: true);
        var failures = 0;
        Uri? failedLast = null;
        for (var server = 0; !stop.IsCancellationRequested; server++)
        {
            Uri? listed;
            try
            {
                listed = _directory is null ? null : await _directory.NextAsync(failedLast, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var uri = listed ?? options.Servers[server % options.Servers.Count];
            failedLast = uri;
            try
            {
                await using var transport = await ConnectTransportAsync(uri);
                var welcome = await HandshakeAsync(transport);
                failures = 0;
                failedLast = null;
                await RunSessionAsync(transport, uri, welcome);
            }
            catch (ImClientException refused)
            {
                handler.OnRefused(refused);
                return;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                handler.OnConnectionChanged(new ConnectionEvent(false, uri, e.Message));
            }
            catch (Exception)
            {
                break;
            }
            finally
            {
                _transport = null;
            }

            try
            {
                await Task.Delay(backoff.DelayFor(failures++), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<IFrameTransport> ConnectTransportAsync(Uri uri)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ConnectTimeout);
        // Server frames wrap a client's payload (a push adds ids and names to a body that may itself be near
        // the limit), so accept a generous multiple of the client-side maximum.
        return await FrameTransports.ConnectAsync(uri, ProtocolDefaults.MaxFrameBytes * 4, new CertificateTrust(_trustedRoots), timeout.Token);
    }

    private async Task<WelcomeFrame> HandshakeAsync(IFrameTransport transport)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ConnectTimeout);
        var token = await options.TokenProvider(timeout.Token);
        var hello = new HelloFrame
        {
            Token = token, Device = options.Device, Platform = options.Platform, Versions = ProtocolDefaults.SupportedVersions,
            Compression = options.Compression ? [BodyCompression.Deflate] : [],
        };
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

    /// <summary>One welcomed connection, until it breaks: the handler's catch-up, then every frame the server sends.</summary>
    private async Task RunSessionAsync(IFrameTransport transport, Uri uri, WelcomeFrame welcome)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var connection = new Connection(transport, session.Token);
        Compresses = welcome.Compression == BodyCompression.Deflate;
        handler.OnWelcome(welcome);
        _transport = transport;
        handler.OnConnectionChanged(new ConnectionEvent(true, uri, null));

        var interval = TimeSpan.FromMilliseconds(Math.Max(100, welcome.HeartbeatMs));
        var heartbeat = Heartbeat.RunAsync(connection, interval, () => handler.DeliveredUpTo);
        var renewal = new TokenRenewal(options, connection, welcome.TokenExpiresAt);
        var renewing = renewal.RunAsync();
        try
        {
            await handler.OnConnectedAsync(connection);
            while (true)
            {
                var frame = await transport.ReceiveAsync(session.Token) ?? throw new IOException("the server closed the connection");
                ReceivedBodies.Open(frame.Body);
                if (frame.Body is ReauthedFrame reauthed)
                {
                    renewal.Renewed(reauthed.TokenExpiresAt);
                    continue;
                }

                await handler.OnFrameAsync(connection, frame);
            }
        }
        finally
        {
            await session.CancelAsync();
            foreach (var loop in new[] { heartbeat, renewing })
            {
                try
                {
                    await loop;
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // Ended with the session; a send that failed on the broken connection is no news.
                }
            }
        }
    }
}
