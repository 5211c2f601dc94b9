using Microsoft.Extensions.Options;

namespace ImActors.Grains.Webhooks;

/// <summary>The webhooks: where each event of the stream is POSTed (decision 110). Bound from the "Webhooks" section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Where every event goes; none (the default): no webhooks. Needs <c>Events:Enabled</c>.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The HMAC-SHA256 key of the signature header; at least 32 bytes (UTF-8) when any URL is set.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Attempts per event and URL before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed attempt; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long one attempt may take, response included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Dead letters kept (the newest); older ones are dropped.</summary>
    public int MaxDeadLetters { get; set; } = 10_000;

    /// <summary>
    /// The most one event's attempts and waits may take. An event is handed to its consumer by a grain call, which
    /// Orleans gives up on (and repeats) after 30 s: staying under that keeps a slow receiver from getting each event twice.
    /// </summary>
    public static readonly TimeSpan MaxDeliveryTime = TimeSpan.FromSeconds(25);

    public TimeSpan WorstCase()
    {
        var waits = TimeSpan.Zero;
        for (var attempt = 0; attempt < MaxAttempts - 1; attempt++)
        {
            var delay = FirstRetryDelay * Math.Pow(2, Math.Min(attempt, 10));
            waits += delay < MaxRetryDelay ? delay : MaxRetryDelay;
        }

        return AttemptTimeout * MaxAttempts + waits;
    }

    /// <summary>Refuses unusable settings at start, naming the key.</summary>
    public sealed class Check : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
        {
            if (options.Urls.Count == 0)
            {
                return ValidateOptionsResult.Success;
            }

            if (options.Urls.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad)
            {
                return ValidateOptionsResult.Fail($"{Section}:Urls holds '{bad}', which is not an absolute http or https URL");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(options.Secret) < 32)
            {
                return ValidateOptionsResult.Fail($"{Section}:Secret must be at least 32 bytes when {Section}:Urls is set: receivers verify the signature with it");
            }

            if (options.MaxAttempts < 1)
            {
                return ValidateOptionsResult.Fail($"{Section}:MaxAttempts must be 1 or more (it is {options.MaxAttempts})");
            }

            return options.WorstCase() > MaxDeliveryTime
                ? ValidateOptionsResult.Fail(
                    $"{Section}: MaxAttempts x AttemptTimeout plus the retry delays is {options.WorstCase().TotalSeconds:0.#} s; it must stay within {MaxDeliveryTime.TotalSeconds} s")
                : ValidateOptionsResult.Success;
        }
    }
}
