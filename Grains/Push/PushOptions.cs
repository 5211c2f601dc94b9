using ImActors.Grains.Webhooks;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Push;

/// <summary>
/// The offline push (decision 111): where a notice of messages stored for a user with no device connected is POSTed.
/// Bound from the "Push" section. Signed, retried and dead-lettered as the webhooks are (decision 110).
/// </summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The push endpoint; none (the default): no offline push. Needs <c>Events:Enabled</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key of the signature header; at least 32 bytes (UTF-8) when the URL is set.</summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Zero (the default): one notice per message. Above zero: a user's first message opens a window this long, and one
    /// notice at its end stands for every message of the window (<c>count</c>), if the user still has no device then.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.Zero;

    /// <summary>The longest window allowed: a notice later than this is no longer news.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromMinutes(10);

    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(4);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public int MaxDeadLetters { get; set; } = 10_000;

    public bool Enabled => Url.Length > 0;

    /// <summary>The same settings as the webhooks' sender takes them: one URL.</summary>
    public WebhookOptions AsDelivery() => new()
    {
        Urls = Enabled ? [Url] : [],
        Secret = Secret,
        MaxAttempts = MaxAttempts,
        FirstRetryDelay = FirstRetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        AttemptTimeout = AttemptTimeout,
        MaxDeadLetters = MaxDeadLetters,
    };

    /// <summary>Refuses unusable settings at start, naming the key (the webhooks' rules, under this section's name).</summary>
    public sealed class Check : IValidateOptions<PushOptions>
    {
        public ValidateOptionsResult Validate(string? name, PushOptions options)
        {
            if (options.Window < TimeSpan.Zero || options.Window > MaxWindow)
            {
                return ValidateOptionsResult.Fail($"{Section}:Window must be between 0 and {MaxWindow} (it is {options.Window})");
            }

            var delivery = new WebhookOptions.Check().Validate(name, options.AsDelivery());
            return delivery.Failed
                ? ValidateOptionsResult.Fail(delivery.FailureMessage.Replace($"{WebhookOptions.Section}:Urls holds", $"{Section}:Url is")
                    .Replace($"{WebhookOptions.Section}:Urls", $"{Section}:Url").Replace(WebhookOptions.Section, Section))
                : ValidateOptionsResult.Success;
        }
    }
}
