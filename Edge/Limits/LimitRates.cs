using Microsoft.Extensions.Options;

namespace ImActors.Edge.Limits;

/// <summary>The shapes of every bucket kind, read once from <see cref="RateLimitSettings"/>.</summary>
public sealed class LimitRates
{
    public LimitRates(IOptions<RateLimitSettings> options)
    {
        var s = options.Value;
        Messages = BucketRate.Of(s.MessageBurst, s.MessagesPerSecond);
        Bytes = BucketRate.Of(s.ByteBurst, s.BytesPerSecond);
        Requests = BucketRate.Of(s.RequestBurst, s.RequestsPerSecond);
        UserMessages = BucketRate.Of(s.UserMessageBurst, s.UserMessagesPerSecond);
        UserBytes = BucketRate.Of(s.UserByteBurst, s.UserBytesPerSecond);
        RefusalsBeforeClose = s.RefusalsBeforeClose;
        UserRefillTime = new[] { UserMessages, UserBytes }.Where(r => r.IsOn)
            .Select(r => TimeSpan.FromSeconds(r.Burst / r.PerSecond)).DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    internal BucketRate Messages { get; }

    internal BucketRate Bytes { get; }

    internal BucketRate Requests { get; }

    internal BucketRate UserMessages { get; }

    internal BucketRate UserBytes { get; }

    internal int RefusalsBeforeClose { get; }

    /// <summary>How long an empty user budget takes to be full again (the slower of its two buckets; zero when both are off).</summary>
    internal TimeSpan UserRefillTime { get; }
}
