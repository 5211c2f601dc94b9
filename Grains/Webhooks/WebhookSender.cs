using System.Net.Http.Headers;
using System.Text;
using ImActors.Grains.Events;
using ImActors.Grains.Interfaces.Events;
using ImActors.Protocol.Retry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Webhooks;

/// <summary>
/// POSTs one event to one URL, signed (<see cref="WebhookSignature"/>), retrying with the project's backoff until a
/// 2xx or <see cref="WebhookOptions.MaxAttempts"/>, then dead-letters it (<see cref="DeadLetters"/>). Every failed
/// attempt is logged with the URL, the event id and the answer.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly WebhookOptions _options;
    private readonly DeadLetters _deadLetters;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly Backoff _backoff;
    private readonly HttpClient _http;

    public WebhookSender(IOptions<WebhookOptions> options, DeadLetters deadLetters, WebhookMetrics metrics, TimeProvider time, ILogger<WebhookSender> logger)
        : this(options.Value, deadLetters, metrics, time, logger)
    {
    }

    /// <summary>A sender of its own settings, dead letters and counters: the offline push posts with the same machinery (decision 111).</summary>
    internal WebhookSender(WebhookOptions options, DeadLetters deadLetters, WebhookMetrics metrics, TimeProvider time, ILogger<WebhookSender> logger)
    {
        (_options, _deadLetters, _metrics, _time, _logger) = (options, deadLetters, metrics, time, logger);
        // No jitter: one sender per queue, not a crowd of clients to spread out.
        _backoff = new Backoff(_options.FirstRetryDelay, _options.MaxRetryDelay, jitter: false);
        // Connections are renewed now and then so that a receiver's DNS change is seen.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = _options.AttemptTimeout };
    }

    public IReadOnlyList<string> Urls => _options.Urls;

    /// <summary>Delivers to every URL at once; returns when each has taken the event or dead-lettered it.</summary>
    public Task DeliverAsync(ImEvent e)
    {
        var body = Encoding.UTF8.GetBytes(EventJson.Serialize(e));
        return Task.WhenAll(_options.Urls.Select(url => DeliverAsync(url, e, body)));
    }

    private async Task DeliverAsync(string url, ImEvent e, byte[] body)
    {
        var error = "";
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            error = await AttemptAsync(url, e, body, attempt);
            if (error.Length == 0)
            {
                _metrics.Delivered.Add(1);
                return;
            }

            _metrics.FailedAttempts.Add(1);
            if (attempt < _options.MaxAttempts)
            {
                var delay = _backoff.DelayFor(attempt - 1);
                _logger.LogWarning("Webhook {Url} failed event {EventId} ({EventType}), attempt {Attempt} of {MaxAttempts}: {Error}; retrying in {DelayMs} ms",
                    url, e.Id, e.Type, attempt, _options.MaxAttempts, error, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _time);
            }
        }

        _metrics.DeadLettered.Add(1);
        _logger.LogError("Webhook {Url} failed event {EventId} ({EventType}) {Attempts} times, last: {Error}; dead-lettered",
            url, e.Id, e.Type, _options.MaxAttempts, error);
        await _deadLetters.AddAsync(new DeadLetter(url, e, _options.MaxAttempts, error, _time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>One POST; "" when the receiver took it, else what went wrong.</summary>
    private async Task<string> AttemptAsync(string url, ImEvent e, byte[] body, int attempt)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(_options.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.EventIdHeader, e.Id);
        request.Headers.Add(WebhookSignature.EventTypeHeader, e.Type);
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode ? "" : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex is TaskCanceledException ? $"no answer within {_options.AttemptTimeout.TotalSeconds} s" : ex.Message;
        }
    }

    public void Dispose() => _http.Dispose();
}
