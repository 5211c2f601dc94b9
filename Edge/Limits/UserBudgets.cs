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

    /// <summary>When the last holder let go (a timestamp of the edge's clock); under the map's lock like <see cref="Holders"/>.</summary>
    internal long IdleSince;

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

/// <summary>
/// The user budgets of the users connected to this edge: made on a user's first connection, kept after the last one
/// closes for as long as an empty budget takes to refill (<see cref="LimitRates.UserRefillTime"/>), then dropped.
/// </summary>
/// <remarks>
/// Dropped at once, the budget would be a new, full one on every reconnect: a client closed for flooding (or closing
/// itself) and connecting again got a fresh burst each time, about three times the user's limit in the flood
/// benchmark. Kept for the refill time, a budget that is dropped would have been full again anyway.
/// </remarks>
public sealed class UserBudgets(LimitRates rates, EdgeClock time)
{
    private readonly Dictionary<string, UserBudget> _budgets = new(StringComparer.Ordinal);
    // Budgets whose last holder left, oldest first: the keep time is the same for all, so the head expires first.
    private readonly Queue<(string User, UserBudget Budget)> _idle = new();
    private readonly Lock _lock = new();

    internal UserBudget Acquire(string user)
    {
        lock (_lock)
        {
            DropExpired();
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
                budget.IdleSince = time.GetTimestamp();
                _idle.Enqueue((user, budget));
            }

            DropExpired();
        }
    }

    /// <summary>Users with a budget now: those connected here, and those who left within the refill time.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                DropExpired();
                return _budgets.Count;
            }
        }
    }

    private void DropExpired()
    {
        while (_idle.TryPeek(out var idle) && time.GetElapsedTime(idle.Budget.IdleSince) >= rates.UserRefillTime)
        {
            _idle.Dequeue();
            // Taken again since (and maybe let go again: then a later entry of the queue is its own).
            if (idle.Budget.Holders == 0 && time.GetElapsedTime(idle.Budget.IdleSince) >= rates.UserRefillTime
                && _budgets.TryGetValue(idle.User, out var current) && current == idle.Budget)
            {
                _budgets.Remove(idle.User);
            }
        }
    }
}
