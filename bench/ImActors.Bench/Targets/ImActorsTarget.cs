using System.Net;
using System.Net.Security;
using ImActors.Bench.Load;
using ImActors.Client;

namespace ImActors.Bench.Targets;

/// <summary>
/// ImActors edges over raw TCP, or the calibration relay (which speaks the same protocol and does nothing
/// else). Tokens are minted with the SDK's <see cref="TokenIssuer"/>.
/// </summary>
/// <param name="tls">Set: connect over TLS, accepting the certificates this callback accepts.</param>
public sealed class ImActorsTarget(
    string name, IReadOnlyList<IPEndPoint> servers, string tokenSecret, bool durable, RemoteCertificateValidationCallback? tls = null) : IBenchTarget
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public string Name => name;

    public bool Durable => durable;

    /// <summary>The secret the edges check tokens with, for scenarios that connect through the SDK.</summary>
    public string TokenSecret => tokenSecret;

    /// <summary>The relay only relays 1:1: it is there to measure the generator, not to be compared.</summary>
    public string? GroupsMissingReason => name == "relay" ? "the relay has no groups" : null;

    public async Task<IBenchConnection> ConnectAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken) =>
        await ConnectProtocolAsync(user, serverIndex, source, counters, cancellationToken);

    /// <summary>The concrete connection, for scenarios that need the protocol's sync (the reconnect storm).</summary>
    public Task<ProtocolConnection> ConnectProtocolAsync(string user, int serverIndex, IPAddress? source, LoadCounters counters, CancellationToken cancellationToken)
    {
        // A real client arrives with its token; minting (HMAC + JSON) inside a timed reconnect storm would
        // charge the generator's token factory to the server. Each user's token is minted once and reused.
        var token = _tokens.GetOrAdd(user, u => TokenIssuer.Issue(u, tokenSecret, TimeSpan.FromHours(12)));
        return ProtocolConnection.ConnectAsync(servers[serverIndex % servers.Count], source, user, "bench", token, counters, cancellationToken, tls);
    }
}
