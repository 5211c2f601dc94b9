namespace ImActors.Grains.Interfaces.Messages;

/// <summary>
/// The message store could not be reached or did not answer in time. Nothing was ACKed; the same send
/// (same client message id) may be retried and will be stored at most once.
/// </summary>
[GenerateSerializer, Alias("imactors.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message) : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
