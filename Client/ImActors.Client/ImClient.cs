using System.Text;
using System.Threading.Channels;
using ImActors.Client.Connections;
using ImActors.Client.Inbox;
using ImActors.Client.Requests;
using ImActors.Client.Sending;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Client;

/// <summary>A change of the client's connection, for logs and status displays.</summary>
public sealed record ConnectionEvent(bool Connected, Uri Server, string? Reason);

/// <summary>
/// One device of one user. Keeps a connection to one of the configured edges, reconnects with backoff
/// (trying the next edge each time), syncs everything after the last seq it holds on every connect,
/// and hands the inbox and the timelines of the user's groups to the application in order, each message once.
/// Sends are retried with the same client message id until ACKed, so a retry never creates a second message.
/// </summary>
/// <remarks>
/// The facade over four parts: the <see cref="ConnectionSupervisor"/> (edges, handshake, heartbeat), the
/// <see cref="SendPipeline"/>, the <see cref="SyncEngine"/> and the <see cref="RequestCorrelator"/>. What each
/// server frame does is in ImClient.Frames.cs; the requests the application can make are in ImClient.Requests.cs, and
/// presence (watches restored on every connection) in ImClient.Presence.cs.
/// </remarks>
public sealed partial class ImClient : IAsyncDisposable
{
    private readonly ImClientOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConnectionSupervisor _connection;
    private readonly SendPipeline _sends;
    private readonly RequestCorrelator _requests = new();
    private readonly SyncEngine _sync;
    // Why the last attempt failed: a connect that times out says it (an untrusted certificate, a refused port).
    private volatile ConnectionEvent? _lastFailure;

    public ImClient(ImClientOptions options)
    {
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("at least one server is needed", nameof(options));
        }

        _options = options;
        _connection = new ConnectionSupervisor(options, this, _stop.Token);
        _sends = new SendPipeline(options, _connection.TrySendAsync, () => _connection.Compresses, _stop.Token);
        _sync = new SyncEngine(options, _requests);
    }

    /// <summary>
    /// The inbox and the user's group timelines, each in seq order and each message once: live pushes and synced
    /// history alike. Group entries have <see cref="InboxMessage.Group"/> set.
    /// </summary>
    public ChannelReader<InboxMessage> Messages => _sync.Messages;

    /// <summary>The user id the server authenticated.</summary>
    public string? UserId { get; private set; }

    /// <summary>Every inbox seq up to here has been handed to the application or was sent by this device.</summary>
    public long LastSeq => _sync.LastSeq;

    /// <summary>Per group: every timeline seq up to here has been handed to the application (or was sent by this device).</summary>
    public IReadOnlyDictionary<string, long> GroupSeqs => _sync.GroupSeqs;

    /// <summary>
    /// The seq up to which retention had removed the inbox's entries (or <paramref name="group"/>'s timeline's) when
    /// it was last synced; 0 when it had removed none. Messages at or below it that this device never received aged
    /// out: they are not a gap and were not lost.
    /// </summary>
    public long TrimmedTo(string? group = null) => _sync.TrimmedTo(group);

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
        _connection.Start();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _sync.CaughtUp.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var last = _lastFailure is { } failure ? $"; last attempt, {failure.Server}: {failure.Reason}" : "";
            throw new ImClientException(ErrorCodes.Unavailable,
                $"no edge answered within {_options.ConnectTimeout.TotalSeconds:0.#} s ({string.Join(", ", _options.Servers)}){last}");
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _connection.Stopped;
        _completion.TrySetResult();
        _sync.Complete();
        _requests.AbandonAll(new ImClientException(0, "the client was disposed"));
    }

    private async Task<SendReceipt> SendFrameAsync(SendFrame message, string? clientMessageId, CancellationToken cancellationToken)
    {
        ThrowIfRefused();
        return await _sends.SendAsync(message, clientMessageId, cancellationToken);
    }

    private void ThrowIfRefused()
    {
        if (_completion.Task.Exception?.InnerException is ImClientException refused)
        {
            // Refused for good earlier (replaced, kicked, bad token): no connection will come back to carry this.
            throw refused;
        }
    }

    /// <summary>The server refused the client for good: everything waiting hears why.</summary>
    private void Stop(ImClientException reason)
    {
        _completion.TrySetException(reason);
        _sync.Stop(reason);
        _sends.FailAll(reason);
        _requests.AbandonAll(reason);
    }
}
