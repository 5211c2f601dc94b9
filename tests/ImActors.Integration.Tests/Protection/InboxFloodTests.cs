using System.Text;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Client;
using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Protection;

/// <summary>
/// One sender cannot flood a user's inbox (decision 132): past <see cref="ClusterFixture.UnreadPerSender"/> unread
/// messages from them, their sends are refused with <c>452</c> and carry the cmid back, while everyone else's messages
/// still arrive; once the recipient reads, the sender may go on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InboxFloodTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ASenderAtTheUnreadCap_GetsUnreadLimit_AndOthersStillReachTheRecipient()
    {
        var (ann, bob, carol) = (Clients.NewUser("ann"), Clients.NewUser("bob"), Clients.NewUser("carol"));
        await FillAsync(ann, bob);
        await using var raw = await RawConnection.OpenTcpAsync(cluster.Edge);
        await raw.HelloAsync(ann);
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob, resumeAfter: ClusterFixture.UnreadPerSender);
        await using var carolClient = await Clients.ConnectAsync(cluster.Edge.Tcp, carol);

        await raw.SendAsync(FrameKind.Send, new SendFrame { ClientMessageId = "over", To = bob, Body = "one more"u8.ToArray() });
        var error = Assert.IsType<ErrorFrame>((await raw.ReceiveAsync())?.Body);
        await carolClient.SendTextAsync(bob, "from carol");

        Assert.Equal((ErrorCodes.UnreadLimit, "unread_limit", false, "over"), (error.Code, error.Name, error.Retryable, error.ClientMessageId));
        Assert.Contains($"{ClusterFixture.UnreadPerSender} unread", error.Reason);
        Assert.Equal("from carol", (await bobClient.ReceiveAsync(1))[0].Text);
        Assert.Equal(ClusterFixture.UnreadPerSender + 1, await cluster.Grains.GetGrain<IUserGrain>(bob).GetInboxSeq());
    }

    [Fact]
    public async Task OnceTheRecipientReads_TheSendersNextMessageIsStored()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await FillAsync(ann, bob);
        await using var annClient = await Clients.ConnectAsync(cluster.Edge.Tcp, ann);
        await using var bobClient = await Clients.ConnectAsync(cluster.EdgeB.Tcp, bob, resumeAfter: ClusterFixture.UnreadPerSender);
        var refused = await Assert.ThrowsAsync<ImClientException>(() => annClient.SendTextAsync(bob, "too many"));

        await bobClient.MarkReadAsync(ConversationRef.With(ann), ClusterFixture.UnreadPerSender);
        var stored = await annClient.SendTextAsync(bob, "after the read");

        Assert.Equal(ErrorCodes.UnreadLimit, refused.Code);
        Assert.Equal("after the read", (await bobClient.ReceiveAsync(1))[0].Text);
        Assert.Equal(ClusterFixture.UnreadPerSender + 1, stored.PeerSeq);
    }

    /// <summary>Ann's messages up to the cap, straight to bob's grain: the wire's part is the refusal that follows.</summary>
    private async Task FillAsync(string from, string to)
    {
        var grain = cluster.Grains.GetGrain<IUserGrain>(to);
        await Parallel.ForEachAsync(Enumerable.Range(0, ClusterFixture.UnreadPerSender), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => await grain.Send(new SendRequest(from, "", $"fill-{i}", to, "text/plain", Encoding.UTF8.GetBytes($"m{i}"))));
    }
}
