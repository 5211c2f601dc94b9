using System.Collections.Concurrent;
using ImActors.Client;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Client;

/// <summary>The SDK's requests against a scripted edge: what a lost connection, a refusal and a neighbour's error do to them.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class RequestsAcrossConnectionsTests
{
    [Fact]
    public async Task ARequestCutOffByALostConnection_GoesOutAgainWithTheSameRid_AndIsAnsweredOnTheNextOne()
    {
        var seen = new ConcurrentQueue<(int Connection, string Rid)>();
        await using var edge = new FakeEdge(async (connection, frame) =>
        {
            if (frame.Body is RequestFrame { Op: RequestOps.GroupInfo } request)
            {
                seen.Enqueue((connection.Number, request.RequestId));
                if (connection.Number == 1)
                {
                    await connection.DisposeAsync();
                    return;
                }

                await connection.SendAsync(FrameKind.Result, GroupResult(request));
            }
        });
        await using var client = edge.NewClient();
        await client.ConnectAsync();

        var info = await client.GetGroupInfoAsync("team").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("team", info.Id);
        Assert.Equal([1, 2], seen.Select(s => s.Connection));
        Assert.Single(seen.Select(s => s.Rid).Distinct());
    }

    [Fact]
    public async Task AnErrorCarryingARid_FailsThatRequest_AndLeavesTheOneBesideItWaiting()
    {
        var asked = new ConcurrentDictionary<string, RequestFrame>();
        await using var edge = new FakeEdge(async (connection, frame) =>
        {
            if (frame.Body is RequestFrame { Group: { } group } request && asked.TryAdd(group, request) && asked.Count == 2)
            {
                // Both are waiting: the refusal goes first, then the answer to the other.
                var refused = asked["refused"];
                await connection.SendAsync(FrameKind.Error, new ErrorFrame
                {
                    Code = ErrorCodes.NotMember, Name = "not_member", Reason = "not in refused", RequestId = refused.RequestId,
                });
                await connection.SendAsync(FrameKind.Result, GroupResult(asked["team"]));
            }
        });
        await using var client = edge.NewClient();
        await client.ConnectAsync();

        var refused = client.GetGroupInfoAsync("refused");
        var team = client.GetGroupInfoAsync("team");

        var error = await Assert.ThrowsAsync<ImClientException>(() => refused.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorCodes.NotMember, error.Code);
        Assert.Equal("team", (await team.WaitAsync(TimeSpan.FromSeconds(10))).Id);
    }

    [Fact]
    public async Task ARefusalForGood_FailsEveryWaitingRequestWithTheServersReason()
    {
        await using var edge = new FakeEdge(async (connection, frame) =>
        {
            if (frame.Body is RequestFrame)
            {
                await connection.SendAsync(FrameKind.Closing, new ClosingFrame { Code = ErrorCodes.Replaced, Reason = "another connection of this device" });
            }
        });
        await using var client = edge.NewClient();
        await client.ConnectAsync();

        var error = await Assert.ThrowsAsync<ImClientException>(() => client.GetGroupInfoAsync("team").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(ErrorCodes.Replaced, error.Code);
        var stopped = await Assert.ThrowsAsync<ImClientException>(() => client.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorCodes.Replaced, stopped.Code);
    }

    private static ResultFrame GroupResult(RequestFrame request) => new()
    {
        RequestId = request.RequestId, Op = request.Op, Group = new GroupItem { Id = request.Group!, Owner = "alice", MemberCount = 1 },
    };
}
