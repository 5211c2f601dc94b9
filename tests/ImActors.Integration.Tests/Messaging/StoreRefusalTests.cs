using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Messaging;

/// <summary>
/// A store that answers but refuses to write. Redis does so while it cannot reach the replicas it was told to need
/// (<c>NOREPLICAS</c>) or after a failed snapshot (<c>MISCONF</c>): the write did not happen, so the send must not be
/// ACKed, and the client must hear that retrying helps.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoreRefusalTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AStoreRefusingWrites_GetsNoAck_ButARetryableError_AndTheRetryStoresTheMessageOnce()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var sender = await RawConnection.OpenTcpAsync(cluster.Edge);
        await sender.HelloAsync(alice);
        // Bob's grain is active and has read its state before the store starts refusing: the refusal meets the send.
        await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq();
        var send = new SendFrame { ClientMessageId = "refused-1", To = bob, Body = "hello"u8.ToArray() };

        // Every node, and more replicas than any test store has: on a Redis Cluster each master has one replica, and
        // a 1:1 send writes on the recipient's master and the sender's.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString + ",allowAdmin=true");
        await SetEverywhereAsync(redis, "min-replicas-to-write", "9");
        try
        {
            await sender.SendAsync(FrameKind.Send, send);
            var error = Assert.IsType<ErrorFrame>((await sender.ReceiveAsync())?.Body);
            Assert.Equal((ErrorCodes.Unavailable, true, "refused-1"), (error.Code, error.Retryable, error.ClientMessageId));
        }
        finally
        {
            await SetEverywhereAsync(redis, "min-replicas-to-write", "0");
        }

        Assert.Empty((await cluster.Grains.GetGrain<IUserGrain>(bob).Sync(0, 10, 1 << 20)).Messages);
        await sender.SendAsync(FrameKind.Send, send);
        var ack = Assert.IsType<AckFrame>((await sender.ReceiveAsync())?.Body);
        Assert.False(ack.Duplicate);
        var stored = Assert.Single((await cluster.Grains.GetGrain<IUserGrain>(bob).Sync(0, 10, 1 << 20)).Messages);
        Assert.Equal(ack.MessageId, stored.Id);
    }

    private static Task SetEverywhereAsync(ConnectionMultiplexer redis, string setting, string value) =>
        Task.WhenAll(redis.GetServers().Select(server => server.ConfigSetAsync(setting, value)));
}
