using Microsoft.Extensions.Options;

namespace ImActors.Edge.Admission;

/// <summary>
/// The edge-wide limit on open client connections (<see cref="EdgeSettings.MaxConnections"/>), one count over every
/// transport, taken by <see cref="Connections.ConnectionLoop"/> for a connection's life.
/// </summary>
/// <remarks>
/// Kestrel's own <c>MaxConcurrentConnections</c> is not used for this: it wraps every connection in a middleware whose
/// awaiting frame lives as long as the connection (~170 bytes on each idle one), and it refuses by closing the socket
/// without a word. Here a refusal is a retryable 503 error frame, which tells a client to pick another edge (decision 127).
/// </remarks>
public sealed class EdgeCapacity(IOptions<EdgeSettings> settings)
{
    private int _open;

    /// <summary>The limit; 0 or less: none.</summary>
    public int Max => settings.Value.MaxConnections;

    /// <summary>Takes a slot; false when the edge is full. Give it back with <see cref="Leave"/>.</summary>
    public bool TryEnter()
    {
        var open = Interlocked.Increment(ref _open);
        if (Max <= 0 || open <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _open);
}
