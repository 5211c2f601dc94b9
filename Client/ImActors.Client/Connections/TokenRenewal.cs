using ImActors.Protocol.Frames;

namespace ImActors.Client.Connections;

/// <summary>
/// Keeps a welcomed session alive past its token's expiry: the edge closes a session whose token expired (402) unless
/// a <c>reauth</c> frame brought a fresh one. Shortly before the expiry the server announced (the welcome's, then each
/// <c>reauthed</c>'s <c>tokenExp</c>) it asks <see cref="ImClientOptions.TokenProvider"/> for a token and sends it.
/// A server that announces no expiry gets no reauth.
/// </summary>
internal sealed class TokenRenewal(ImClientOptions options, Connection connection, long expiresAtSeconds)
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(200);

    private long _expiresAt = expiresAtSeconds;
    private TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The server accepted a reauth: the session now ends at <paramref name="expiresAtSeconds"/>.</summary>
    public void Renewed(long expiresAtSeconds)
    {
        Volatile.Write(ref _expiresAt, expiresAtSeconds);
        _renewed.TrySetResult();
    }

    public async Task RunAsync()
    {
        var time = options.TimeProvider;
        while (!connection.Ended.IsCancellationRequested && Volatile.Read(ref _expiresAt) > 0)
        {
            var remaining = DateTimeOffset.FromUnixTimeSeconds(Volatile.Read(ref _expiresAt)) - time.GetUtcNow();
            // Renew a lead time ahead, or half-way through a token shorter than twice that lead.
            var lead = remaining / 2 < options.TokenRenewBefore ? remaining / 2 : options.TokenRenewBefore;
            var wait = remaining - lead;
            await Task.Delay(wait > MinimumWait ? wait : MinimumWait, time, connection.Ended);

            _renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            string token;
            try
            {
                token = await options.TokenProvider(connection.Ended);
            }
            catch (Exception) when (!connection.Ended.IsCancellationRequested)
            {
                // The token source failed this time: try again on the next round, which comes sooner as expiry nears.
                continue;
            }

            await connection.SendAsync(FrameKind.Reauth, new ReauthFrame { Token = token });
            // Answered by reauthed, or by an error the client handles like a refused hello's. If neither comes, the next
            // round tries again before the old expiry.
            await Task.WhenAny(_renewed.Task, Task.Delay(lead > MinimumWait ? lead / 2 : MinimumWait, time, connection.Ended));
        }
    }
}
