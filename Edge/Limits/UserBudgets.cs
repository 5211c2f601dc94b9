using Microsoft.Extensions.Options;
using ImActors.Edge.Hosting;

namespace ImActors.Edge.Limits;

/// <summary>One user's allowance on this edge, shared by the user's connections (several devices read loops at once, hence the lock).</summary>
internal sealed class UserBudget(TokenBucket? messages, TokenBucket? bytes)
{
    private readonly Lock _lock = new();

    /// <summary>Connections holding it; read and written under <see cref="UserBudgets"/>' map only.</summary>
    internal int Holders;

    public bool TryTake(bool isMessage, long payloadBytes, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            retryAfter = TimeSpan.Zero;
            if (isMessage && messages is not null && !messages.TryTake(1, out retryAfter))
            {
                return false;
            }

            if (bytes is not null && !bytes.TryTake(payloadBytes, out retryAfter))
            {
                if (isMessage)
                {
                    messages?.Return(1);
                }

                return false;
            }

            return true;
        }
    }
}

/// <summary>The user budgets of the users connected to this edge: made on a user's first connection, dropped with the last.</summary>
public sealed class UserBudgets(IOptions<RateLimitSettings> options, EdgeClock time)
{
    private readonly Dictionary<string, UserBudget> _budgets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal UserBudget Acquire(string user)
    {
        lock (_lock)
        {
            if (!_budgets.TryGetValue(user, out var budget))
            {
                var s = options.Value;
                budget = new UserBudget(
                    TokenBucket.Of(s.UserMessageBurst, s.UserMessagesPerSecond, time), TokenBucket.Of(s.UserByteBurst, s.UserBytesPerSecond, time));
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
