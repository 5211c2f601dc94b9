using System.Diagnostics;
using ImActors.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ImActors.Integration.Tests.Groups;

[Collection(ClusterCollection.Name)]
public sealed class LargeGroupTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task TenThousandMemberGroup_IsBuiltInBatches_AndDeliversToOnlineMembersOnEveryEdge()
    {
        var group = Clients.NewUser("big");
        var owner = Clients.NewUser("owner");
        var members = Enumerable.Range(0, 10_000).Select(i => $"{group}-m{i}").ToList();
        await using var o = await Clients.ConnectAsync(cluster.Edge.Tcp, owner);
        await using var first = await Clients.ConnectAsync(cluster.Edge.Tcp, members[0]);
        await using var last = await Clients.ConnectAsync(cluster.EdgeB.WebSocket, members[^1]);

        var clock = Stopwatch.StartNew();
        await o.CreateGroupAsync(group, members.Take(1000).ToList());
        foreach (var batch in members.Skip(1000).Chunk(1000))
        {
            Assert.Equal(1000, (await o.AddMembersAsync(group, batch)).Changed);
        }

        output.WriteLine($"10,000 members added in {clock.ElapsedMilliseconds} ms");
        var info = await o.GetGroupInfoAsync(group);
        Assert.Equal(10_001, info.MemberCount);

        clock.Restart();
        var ack = await o.SendGroupTextAsync(group, "hello everyone");
        output.WriteLine($"send ACKed in {clock.ElapsedMilliseconds} ms");
        Assert.Equal("hello everyone", (await first.ReceiveGroupUntilAsync(group, ack.Seq))[^1].Text);
        Assert.Equal("hello everyone", (await last.ReceiveGroupUntilAsync(group, ack.Seq))[^1].Text);

        var (page, next) = await first.GetMembersAsync(group, after: null, limit: 1000);
        Assert.Equal(1000, page.Count);
        Assert.NotNull(next);
    }
}
