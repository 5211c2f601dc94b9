namespace ImActors.Edge.Calls;

/// <summary>
/// A failed call as the client is told it, in an error frame: a code from <see cref="Protocol.ErrorCodes"/>, the
/// reason in words, and whether the same frame may be sent again.
/// </summary>
public readonly record struct ClientError(int Code, string Reason, bool Retryable);
