using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Edges;

namespace ImActors.Edge.Sessions;

/// <summary>
/// For each group, its members connected to this edge: what a group push (one per edge) is written to. The
/// edge subscribes to a group when its first local member arrives and unsubscribes when the last one goes, so
/// a login costs a group call only for groups nobody on this edge is in yet (decision 81).
/// </summary>
/// <remarks>
/// Members come from a login's group list, from the group when it adds someone connected here, and leave with
/// their last connection or a removal. A login's list was read before the login finished; a removal applied
/// here meanwhile must not be undone by it, so removals are remembered for a while (<see cref="RecentRemovals"/>)
/// and a list read before one skips that group. Who is where is kept in <see cref="LocalMembership"/>; this class
/// holds the rules, the lock and the subscriptions.
/// </remarks>
public sealed class LocalGroups(LocalConnections connections, GrainRefs grains, ClusterCalls cluster, EdgeIdentity edge)
{
    private readonly Lock _lock = new();
    private readonly LocalMembership _membership = new();
    private readonly RecentRemovals _removals = new();
    // Ticks at start, so that a restarted edge's generations are newer than those of its previous run.
    private long _generation = DateTime.UtcNow.Ticks;
    private long _subscribeCalls;

    /// <summary>Groups with a member here.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _membership.Count;
            }
        }
    }

    /// <summary>Subscribe calls this edge has made since it started: one per group per first local member.</summary>
    public long SubscribeCalls => Interlocked.Read(ref _subscribeCalls);

    /// <summary>A clock for <see cref="JoinAsync"/>: take it before asking for a login's groups.</summary>
    public static long Now() => Environment.TickCount64;

    /// <summary>
    /// Files a logging-in user under their groups (read at <paramref name="readAt"/>); completes when the edge is
    /// subscribed to each of them, so that the user misses no push sent after their welcome.
    /// </summary>
    public Task JoinAsync(string user, IReadOnlyList<string> groups, long readAt)
    {
        List<Task>? pending = null;
        lock (_lock)
        {
            foreach (var group in groups)
            {
                if (_removals.Since(group, user, readAt))
                {
                    continue;
                }

                var entry = _membership.Add(group, user);
                if (entry.NeedsSubscribing)
                {
                    entry.Generation = ++_generation;
                    entry.Subscribed = SubscribeAsync(group, entry.Generation, [.. entry.Members]);
                }

                if (!entry.Subscribed.IsCompletedSuccessfully)
                {
                    (pending ??= []).Add(entry.Subscribed);
                }
            }
        }

        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    /// <summary>
    /// The group added <paramref name="users"/>: those connected here join its local members. Returns the generation
    /// the group records for this edge, or 0 when none of them is here.
    /// </summary>
    public long AddMembers(string group, string[] users)
    {
        lock (_lock)
        {
            LocalMembership.Entry? entry = null;
            foreach (var user in users)
            {
                _removals.Clear(group, user);
                if (connections.OfUser(user).Length > 0)
                {
                    entry = _membership.Add(group, user);
                }
            }

            if (entry is null)
            {
                return 0;
            }

            if (entry.NeedsSubscribing)
            {
                // The group records this edge itself, from the generation returned.
                entry.Generation = ++_generation;
                entry.Subscribed = Task.CompletedTask;
            }

            return entry.Generation;
        }
    }

    /// <summary>The group's members connected here, or null when this edge holds none.</summary>
    public string[]? MembersOf(string group)
    {
        lock (_lock)
        {
            return _membership.MembersOf(group);
        }
    }

    /// <summary>Members the group removed: they get nothing of the group after the push that told them.</summary>
    public void Remove(string group, string[] users)
    {
        long? unsubscribe = null;
        lock (_lock)
        {
            var now = Now();
            foreach (var user in users)
            {
                _removals.Record(group, user, now);
                if (_membership.Remove(group, user) is { } generation)
                {
                    unsubscribe = generation;
                }
            }

            _removals.ForgetOld(now);
        }

        if (unsubscribe is { } g)
        {
            Unsubscribe(group, g);
        }
    }

    /// <summary>The group is dissolved: it has no members and no subscriptions left to end.</summary>
    public void Dissolved(string group)
    {
        lock (_lock)
        {
            if (_membership.RemoveGroup(group) is not { } members)
            {
                return;
            }

            var now = Now();
            foreach (var user in members)
            {
                _removals.Record(group, user, now);
            }
        }
    }

    /// <summary>
    /// The user's last connection here closed: they leave every group's local members. Checked again under the
    /// lock, so a connection of the same user that logged in meanwhile keeps its groups.
    /// </summary>
    public void Forget(string user)
    {
        List<(string Group, long Generation)>? unsubscribe = null;
        lock (_lock)
        {
            if (connections.OfUser(user).Length > 0 || _membership.GroupsOf(user) is not { } groups)
            {
                return;
            }

            foreach (var group in groups)
            {
                if (_membership.Remove(group, user) is { } generation)
                {
                    (unsubscribe ??= []).Add((group, generation));
                }
            }
        }

        foreach (var (group, generation) in unsubscribe ?? [])
        {
            Unsubscribe(group, generation);
        }
    }

    /// <summary>
    /// A push for a group this edge holds no member of: a subscription left by a previous run of this edge, or one
    /// whose unsubscribe was lost. Every subscription made before now is stale, so it ends with the current generation.
    /// </summary>
    public void NotHere(string group)
    {
        long generation;
        lock (_lock)
        {
            if (_membership.Contains(group))
            {
                return;
            }

            generation = _generation;
        }

        Unsubscribe(group, generation);
    }

    private async Task SubscribeAsync(string group, long generation, string[] users)
    {
        Interlocked.Increment(ref _subscribeCalls);
        var notMembers = await cluster.RunAsync(
            () => grains.Get<IGroupEdges>(group).Subscribe(edge.EdgeId, generation, users), CallPolicy.RetriedNeverAbandoned);
        if (notMembers.Length > 0)
        {
            Remove(group, notMembers);
        }
    }

    // One-way: the group drops this edge unless a newer subscription arrived first. Should it be lost, the group
    // drops this edge at its next push, which finds no member here.
    private void Unsubscribe(string group, long generation) =>
        cluster.FireAndForget(() => grains.Get<IGroupEdges>(group).Unsubscribe(edge.EdgeId, generation));
}
