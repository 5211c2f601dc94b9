using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Admission;

/// <summary>
/// Per source address: how many connections may be open at once, and how fast new ones may come. One instance for the
/// TCP listener and the WebSocket endpoint, so an address cannot double its share by using both. Partitioned limiters
/// take a global lock per acquisition: fine once per connection, which is why messages do not go through here.
/// </summary>
public sealed class AddressLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _open;
    private readonly PartitionedRateLimiter<IPAddress>? _rate;

    public AddressLimiter(IOptions<AdmissionSettings> options)
    {
        var settings = options.Value;
        if (settings.MaxConnectionsPerAddress > 0)
        {
            _open = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetConcurrencyLimiter(
                address, _ => new ConcurrencyLimiterOptions { PermitLimit = settings.MaxConnectionsPerAddress, QueueLimit = 0 }));
        }

        if (settings.ConnectsPerSecondPerAddress > 0)
        {
            _rate = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(
                address, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, settings.ConnectBurstPerAddress),
                    TokensPerPeriod = settings.ConnectsPerSecondPerAddress,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }
    }

    /// <summary>Whether any per-address limit is set (both can be turned off: a local cluster's clients all come from one address).</summary>
    public bool IsOn => _open is not null || _rate is not null;

    /// <summary>
    /// A slot for one connection from <paramref name="address"/> (null: not an IP transport, never limited). Dispose the
    /// admission when the connection ends. A refusal says why and how long to wait.
    /// </summary>
    public Admission TryAdmit(IPAddress? address)
    {
        if (address is null)
        {
            return Admission.Granted(null);
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        RateLimitLease? open = null;
        if (_open is not null)
        {
            open = _open.AttemptAcquire(address);
            if (!open.IsAcquired)
            {
                open.Dispose();
                return Admission.Refused($"too many connections open from {address}", TimeSpan.FromSeconds(5));
            }
        }

        if (_rate is not null)
        {
            using var rate = _rate.AttemptAcquire(address);
            if (!rate.IsAcquired)
            {
                open?.Dispose();
                var wait = rate.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                return Admission.Refused($"connecting too fast from {address}", wait);
            }
        }

        return Admission.Granted(open);
    }

    public void Dispose()
    {
        _open?.Dispose();
        _rate?.Dispose();
    }
}

/// <summary>One connection's admission: held (and disposed) for the connection's life when granted.</summary>
public sealed class Admission : IDisposable
{
    private static readonly Admission Unlimited = new(true, null, "", TimeSpan.Zero);
    private readonly RateLimitLease? _lease;

    private Admission(bool granted, RateLimitLease? lease, string reason, TimeSpan retryAfter)
    {
        IsGranted = granted;
        _lease = lease;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    public bool IsGranted { get; }

    /// <summary>Holds a slot of the open-connections limit, to give back when the connection ends.</summary>
    public bool HoldsSlot => _lease is not null;

    public string Reason { get; }

    public TimeSpan RetryAfter { get; }

    public static Admission Granted(RateLimitLease? lease) => lease is null ? Unlimited : new(true, lease, "", TimeSpan.Zero);

    public static Admission Refused(string reason, TimeSpan retryAfter) => new(false, null, reason, retryAfter);

    public void Dispose() => _lease?.Dispose();
}
