using ImActors.Grains.Interfaces.Edges;
using ImActors.Grains.Interfaces.Presence;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>An edge endpoint that takes every push and does nothing: with a short lease and never renewed, a crashed edge as the cluster sees it.</summary>
public sealed class SilentEdge : IEdgeDelivery
{
    public Task Deliver(Grains.Interfaces.Messages.StoredMessage message, long[] connectionIds) => Task.CompletedTask;

    public Task DeliverToGroup(Grains.Interfaces.Messages.StoredMessage message, long exceptConnection, string[] removed, bool dissolved) => Task.CompletedTask;

    public Task<long> AddGroupMembers(string group, string[] users) => Task.FromResult(0L);

    public Task Notify(Grains.Interfaces.Conversations.Notice notice, long[] connectionIds) => Task.CompletedTask;

    public Task NotifyGroup(Grains.Interfaces.Conversations.Notice notice, string exceptUser) => Task.CompletedTask;

    public Task DeliverPresence(UserPresence presence) => Task.CompletedTask;

    public Task<string[]> OnlineGroupMembers(string group) => Task.FromResult<string[]>([]);

    public Task Close(long connectionId, int code, string reason) => Task.CompletedTask;
}
