namespace ImActors.Edge.Limits;

/// <summary>One connection's buckets and its refusals in a row. Touched by the connection's read loop only.</summary>
internal sealed class ConnectionBudget(TokenBucket? messages, TokenBucket? bytes, TokenBucket? requests, string user, UserBudget userBudget)
{
    public TokenBucket? Messages { get; } = messages;

    public TokenBucket? Bytes { get; } = bytes;

    public TokenBucket? Requests { get; } = requests;

    public string User { get; } = user;

    public UserBudget UserBudget { get; } = userBudget;

    public int RefusalsInARow { get; set; }
}
