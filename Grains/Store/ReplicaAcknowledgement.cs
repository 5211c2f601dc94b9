using System.Net;
using ImActors.Grains.Interfaces.Messages;
using StackExchange.Redis;

namespace ImActors.Grains.Store;

/// <summary>
/// <c>Store:WaitReplicas</c> (decision 120): a store call returns only once at least <paramref name="replicas"/> replicas of
/// every master hold what that master answered. Redis replicates asynchronously, so without this a master killed
/// between its reply and its replica's copy takes ACKed messages with it when the replica is promoted.
/// </summary>
/// <remarks>
/// <c>WAIT n timeout</c> covers every write sent earlier on the same connection, and StackExchange.Redis sends all of a
/// silo's commands to one master over one connection, so one WAIT per master per round covers every caller of that
/// round (the <see cref="GroupCommit"/>: a round starts only after its callers' replies). Every master, not only the one
/// a caller wrote to: a 1:1 send on a sharded store writes on two masters, and the first write's caller does not wait.
/// The price: while any master has fewer live replicas than asked (a promoted replica, before the old master comes back
/// as its replica), no ACK is given anywhere; sends fail with a retryable error instead.
/// </remarks>
public sealed class ReplicaAcknowledgement : IStoreCommit
{
    private readonly IConnectionMultiplexer _redis;
    private readonly int _replicas;
    private readonly TimeSpan _timeout;
    private readonly GroupCommit _rounds;

    public ReplicaAcknowledgement(IConnectionMultiplexer redis, int replicas, TimeSpan timeout)
    {
        _redis = redis;
        _replicas = replicas;
        _timeout = timeout;
        // No pause between rounds: a WAIT costs the master next to nothing; the callers that arrive during one share the next.
        _rounds = new GroupCommit(_ => WaitOnEveryMasterAsync(), timeout + TimeSpan.FromSeconds(1));
    }

    public Task WaitAsync() => _rounds.WaitAsync();

    private async Task WaitOnEveryMasterAsync()
    {
        try
        {
            var masters = await MastersAsync();
            var answers = await Task.WhenAll(masters.Select(async m => (m.EndPoint, Acked: await AckedAsync(m))));
            if (answers.FirstOrDefault(a => a.Acked < _replicas) is { EndPoint: not null } missing)
            {
                throw new StoreUnavailableException(
                    $"{Describe(missing.EndPoint)} has {missing.Acked} of the {_replicas} replica(s) Store:WaitReplicas asks for");
            }
        }
        catch
        {
            // The masters may have changed (a failover): the client reads the map again before the next round.
            _stale = true;
            throw;
        }
    }

    private bool _stale;

    // The masters that serve slots in the client's map of the cluster (what it last read with CLUSTER NODES, which a
    // non-admin connection may not send itself); on one Redis, its primary.
    private async Task<IEnumerable<IServer>> MastersAsync()
    {
        if (_stale)
        {
            _stale = false;
            await _redis.ConfigureAsync();
        }

        var map = _redis.GetServers().Select(s => s.ClusterConfiguration).FirstOrDefault(c => c is not null);
        return map is null
            ? _redis.GetServers().Where(s => !s.IsReplica)
            : map.Nodes.Where(n => !n.IsReplica && !n.IsFail && n.Slots.Count > 0 && n.EndPoint is not null).Select(n => _redis.GetServer(n.EndPoint!));
    }

    // A master this silo cannot reach counts as holding no copy: it may have answered writes it never passed on.
    private async Task<long> AckedAsync(IServer master) =>
        master.IsConnected ? (long)await master.ExecuteAsync("WAIT", _replicas, (long)_timeout.TotalMilliseconds) : 0;

    private static string Describe(EndPoint endPoint) => "the store's master " + endPoint;
}
