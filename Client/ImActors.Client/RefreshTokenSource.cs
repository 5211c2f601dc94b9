using ImActors.Client.Transports;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client;

/// <summary>
/// Access tokens from a refresh token (decision 106), for <see cref="ImClientOptions.TokenProvider"/>: it hands out the
/// access token it holds while that has more than <see cref="RenewBefore"/> to live, and otherwise exchanges the refresh
/// token at an edge (a <c>refresh</c> frame on a short connection of its own) for a fresh access token and the next
/// refresh token. The client's reconnects and its renewal before expiry (<c>reauth</c>) both ask it, so a session
/// refreshes by itself. Store every rotated refresh token (<see cref="Rotated"/>): the one given up is used, and
/// presenting it again revokes the device's refresh tokens.
/// </summary>
public sealed class RefreshTokenSource(Uri server, string refreshToken, TimeProvider? time = null)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private string? _accessToken;
    private DateTimeOffset _accessExpires;

    /// <summary>The refresh token to use next: persist it where the app keeps secrets.</summary>
    public string RefreshToken { get; private set; } = refreshToken;

    /// <summary>A certificate or CA file to trust for a <c>tls://</c> or <c>wss://</c> server (as <see cref="ImClientOptions.TrustedCertificatesPath"/>).</summary>
    public string? TrustedCertificatesPath { get; init; }

    /// <summary>An access token is renewed this long before its expiry (the client's own renewal comes first by default).</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A refresh succeeded: the new refresh token (persist it) and when it expires.</summary>
    public event Action<string, DateTimeOffset>? Rotated;

    /// <summary>
    /// A refresh was refused (the error's code: 402 expired, 403 unknown or revoked, 414 a used one came back) or could
    /// not reach an edge. The client lives on until its session's token expires; a refusal means the user signs in again.
    /// </summary>
    public event Action<Exception>? RefreshFailed;

    /// <summary>Fits <see cref="ImClientOptions.TokenProvider"/>.</summary>
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (_accessToken is not null && _accessExpires - _time.GetUtcNow() > RenewBefore)
            {
                return _accessToken;
            }

            try
            {
                var refreshed = await ExchangeAsync(cancellationToken);
                (_accessToken, _accessExpires) = (refreshed.AccessToken, DateTimeOffset.FromUnixTimeSeconds(refreshed.TokenExpiresAt));
                RefreshToken = refreshed.RefreshToken;
                Rotated?.Invoke(refreshed.RefreshToken, DateTimeOffset.FromUnixTimeSeconds(refreshed.RefreshExpiresAt));
                return refreshed.AccessToken;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RefreshFailed?.Invoke(e);
                throw;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<RefreshedFrame> ExchangeAsync(CancellationToken cancellationToken)
    {
        await using var transport = await FrameTransports.ConnectAsync(
            server, ProtocolDefaults.MaxFrameBytes * 4, new CertificateTrust(CertificateTrust.LoadRoots(TrustedCertificatesPath)), cancellationToken);
        await transport.SendAsync(FrameEncoder.Encode(FrameKind.Refresh, new RefreshFrame { Token = RefreshToken }), cancellationToken);
        var reply = await transport.ReceiveAsync(cancellationToken) ?? throw new IOException("the server closed the connection during a refresh");
        return reply.Body switch
        {
            RefreshedFrame refreshed => refreshed,
            ErrorFrame { Retryable: true } error => throw new IOException($"{error.Name}: {error.Reason}"),
            ErrorFrame error => throw new ImClientException(error.Code, error.Reason),
            _ => throw new IOException($"expected refreshed, got {reply.Kind}"),
        };
    }
}
