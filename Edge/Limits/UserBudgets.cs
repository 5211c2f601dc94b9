using ImActors.Edge.Hosting;

namespace ImActors.Edge.Limits;

/// <summary>
/// One user's allowance on this edge, shared by the user's connections (several devices' read loops at once, hence the
/// lock: the object's own monitor, since one of these lives for every connected user and a lock object would add 40 bytes).
/// </summary>
internal sealed class UserBudget(LimitRates rates, TimeProvider time)
{
    private TokenBucket _messages = TokenBucket.Full(rates.UserMessages, time);
    private TokenBucket _bytes = TokenBucket.Full(rates.UserBytes, time);

    /// <summary>Connections holding it; read and written under <see cref="UserBudgets"/>' map only.</summary>
    internal int Holders;

    public bool TryTake(bool isMessage, long payloadBytes, out TimeSpan retryAfter)
    {
        lock (this)
        {
            retryAfter = TimeSpan.Zero;
            if (isMessage && !_messages.TryTake(rates.UserMessages, 1, time, out retryAfter))
            {
                return false;
            }

            if (!_bytes.TryTake(rates.UserBytes, payloadBytes, time, out retryAfter))
            {
                if (isMessage)
                {
                    _messages.Return(rates.UserMessages, 1);
                }

                return false;
            }

            return true;
        }
    }
}

/// <summary>The user budgets of the users connected to this edge: made on a user's first connection, dropped with the last.</summary>
public sealed class UserBudgets(LimitRates rates, EdgeClock time)
{
    private readonly Dictionary<string, UserBudget> _budgets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal UserBudget Acquire(string user)
    {
        lock (_lock)
        {
            if (!_budgets.TryGetValue(user, out var budget))
            {
                budget = new UserBudget(rates, time);
                _budgets[user] = budget;
            }

            budget.Holders++;
            return budget;
        }
    }

    internal void Release(string user, UserBudget budget)
    {
        lock (_lock)
        {
            if (--budget.Holders == 0)
            {
                _budgets.Remove(user);
            }
        }
    }

    /// <summary>Users with a budget now: equal to the users with a connection here once every limited connection has closed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _budgets.Count;
            }
        }
    }
}
