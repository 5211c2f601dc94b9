using ImActors.Client;
using ImActors.Client.Requests;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Client;

[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class RequestCorrelatorTests
{
    private readonly RequestCorrelator _requests = new();

    [Fact]
    public async Task AReply_CompletesTheRequestWhoseRidItCarries_AndNoOther()
    {
        var first = Pending();
        var second = Pending();

        Assert.True(await _requests.ReplyAsync(second.RequestId, new ResultFrame { RequestId = second.RequestId, Seq = 7 }));

        Assert.Equal(7, (await second.Result).Seq);
        Assert.False(first.Result.IsCompleted);
    }

    [Fact]
    public async Task AnErrorWithARid_FailsOnlyThatRequest_WithTheServersCode()
    {
        var refused = Pending();
        var other = Pending();

        Assert.True(await _requests.FailAsync(new ErrorFrame { Code = ErrorCodes.NotMember, Reason = "no", RequestId = refused.RequestId }));

        var error = await Assert.ThrowsAsync<ImClientException>(() => refused.Result);
        Assert.Equal(ErrorCodes.NotMember, error.Code);
        Assert.False(other.Result.IsCompleted);
    }

    [Fact]
    public async Task AnAnswerIsTakenOnce_AndAnAnswerNoRequestWaitsFor_IsNotTaken()
    {
        var request = Pending();

        Assert.True(await _requests.ReplyAsync(request.RequestId, new ResultFrame()));
        Assert.False(await _requests.ReplyAsync(request.RequestId, new ResultFrame()));
        Assert.False(await _requests.FailAsync(new ErrorFrame { RequestId = "never-asked" }));
        Assert.False(await _requests.FailAsync(new ErrorFrame { ClientMessageId = "a-send" }));
    }

    [Fact]
    public async Task AFrameOfAnotherType_IsNotTakenForTheAnswer_AndTheRequestKeepsWaiting()
    {
        SyncPageFrame? answered = null;
        var sync = new ConnectionRequest<SyncPageFrame>(_requests.NextId(), page =>
        {
            answered = page;
            return ValueTask.CompletedTask;
        }, _ => ValueTask.CompletedTask);
        _requests.Await(sync);

        Assert.False(await _requests.ReplyAsync(sync.RequestId, new ResultFrame { RequestId = sync.RequestId }));
        var page = new SyncPageFrame { RequestId = sync.RequestId };
        Assert.True(await _requests.ReplyAsync(sync.RequestId, page));

        Assert.Same(page, answered);
    }

    [Fact]
    public async Task ANewConnection_KeepsTheApplicationsRequestsToSendAgain_AndForgetsTheClientsOwn()
    {
        var request = Pending();
        var failed = false;
        var sync = new ConnectionRequest<SyncPageFrame>(_requests.NextId(), _ => ValueTask.CompletedTask, _ =>
        {
            failed = true;
            return ValueTask.CompletedTask;
        });
        _requests.Await(sync);

        _requests.ForgetConnectionRequests();

        Assert.Same(request, Assert.Single(_requests.Pending));
        Assert.False(request.Result.IsCompleted);
        Assert.False(await _requests.FailAsync(new ErrorFrame { RequestId = sync.RequestId }));
        Assert.False(failed);
        Assert.True(await _requests.ReplyAsync(request.RequestId, new ResultFrame()));
    }

    [Fact]
    public async Task AClientStoppedForGood_FailsEveryRequestTheApplicationAwaits()
    {
        var first = Pending();
        var second = Pending();
        var reason = new ImClientException(ErrorCodes.Kicked, "kicked");

        _requests.AbandonAll(reason);

        Assert.Same(reason, await Assert.ThrowsAsync<ImClientException>(() => first.Result));
        Assert.Same(reason, await Assert.ThrowsAsync<ImClientException>(() => second.Result));
    }

    [Fact]
    public void EveryRequestGetsARidOfItsOwn()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => _requests.NextId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private PendingRequest Pending()
    {
        var request = new PendingRequest(_requests.NextId(), []);
        _requests.Await(request);
        return request;
    }
}
