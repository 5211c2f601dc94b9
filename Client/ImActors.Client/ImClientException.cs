using ImActors.Protocol;

namespace ImActors.Client;

/// <summary>The server refused something for good (a bad token, an invalid send) or the client gave up retrying.</summary>
public sealed class ImClientException(int code, string reason) : Exception($"{ErrorCodes.NameOf(code)} ({code}): {reason}")
{
    /// <summary>One of <see cref="ErrorCodes"/>, or 0 when the client gave up on its own (deadline, disposal).</summary>
    public int Code { get; } = code;

    public string Reason { get; } = reason;
}
