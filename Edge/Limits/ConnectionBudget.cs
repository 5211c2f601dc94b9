namespace ImActors.Edge.Limits;

/// <summary>
/// One connection's buckets and its refusals in a row. Touched by the connection's read loop only. The buckets are
/// fields, not properties: they are values, taken from in place.
/// </summary>
internal sealed class ConnectionBudget(LimitRates rates, TimeProvider time, string user, UserBudget userBudget)
{
    public TokenBucket Messages = TokenBucket.Full(rates.Messages, time);

    public TokenBucket Bytes = TokenBucket.Full(rates.Bytes, time);

    public TokenBucket Requests = TokenBucket.Full(rates.Requests, time);

    public string User { get; } = user;

    public UserBudget UserBudget { get; } = userBudget;

    public int RefusalsInARow { get; set; }
}
