namespace ImActors.Edge.Calls;

/// <summary>What a call to the cluster gave: its value, or the error the client is to be told.</summary>
public readonly struct CallResult<T>
{
    private CallResult(T value, ClientError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The call's result; meaningless when <see cref="Error"/> is set.</summary>
    public T Value { get; }

    /// <summary>Set when the call failed, after every retry its policy allows.</summary>
    public ClientError? Error { get; }

    internal static CallResult<T> Succeeded(T value) => new(value, null);

    internal static CallResult<T> Failed(ClientError error) => new(default!, error);
}
