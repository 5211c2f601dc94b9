using System.Diagnostics.Metrics;
using ImActors.Edge;
using ImActors.Edge.Calls;
using ImActors.Edge.Delivery;
using ImActors.Edge.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImActors.Integration.Tests.Edge;

/// <summary>How a call to the cluster is retried, bounded and reported, by policy.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class ClusterCallsTests
{
    private readonly ClusterCalls _cluster = new(
        new GrainErrors(NullLogger<GrainErrors>.Instance),
        new EdgeMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), new DeliveryStats(),
            Options.Create(new EdgeSettings())),
        NullLogger<ClusterCalls>.Instance);

    [Fact]
    public async Task Retried_AFailoverFailure_IsRetried_AndTheClientNeverHearsOfIt()
    {
        var attempts = 0;

        var result = await _cluster.TryAsync(
            () => ++attempts == 1 ? Task.FromException<int>(new SiloUnavailableException()) : Task.FromResult(42), CallPolicy.Retried);

        Assert.Null(result.Error);
        Assert.Equal(42, result.Value);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Once_AFailoverFailure_IsNotRetried_AndIsReportedAsRetryable()
    {
        var attempts = 0;

        var result = await _cluster.TryAsync(
            () => ++attempts == 1 ? Task.FromException<int>(new SiloUnavailableException()) : Task.FromResult(42), CallPolicy.Once);

        Assert.Equal(ErrorCodes.Unavailable, result.Error?.Code);
        Assert.True(result.Error?.Retryable);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Retried_ARefusal_IsNotRetried()
    {
        var attempts = 0;

        var result = await _cluster.TryAsync(() =>
        {
            attempts++;
            return Task.FromException<int>(new RefusedException(Refusal.NotMember, "not a member"));
        }, CallPolicy.Retried);

        Assert.Equal(new ClientError(ErrorCodes.NotMember, "not a member", Retryable: false), result.Error);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Retried_AnAttemptThatHangs_IsAbandonedForANewOne()
    {
        var attempts = 0;

        var result = await _cluster.TryAsync(
            () => ++attempts == 1 ? new TaskCompletionSource<int>().Task : Task.FromResult(42), CallPolicy.Retried);

        Assert.Equal(42, result.Value);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task RetriedNeverAbandoned_ASlowAttempt_IsWaitedFor()
    {
        var attempts = 0;

        var result = await _cluster.TryAsync(async () =>
        {
            attempts++;
            await Task.Delay(TransientRetry.AttemptTimeout + TimeSpan.FromMilliseconds(500));
            return 42;
        }, CallPolicy.RetriedNeverAbandoned);

        Assert.Equal(42, result.Value);
        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(CallPolicy.Retried)]
    [InlineData(CallPolicy.Once)]
    [InlineData(CallPolicy.Unbounded)]
    public async Task ACallThatThrowsBeforeReturningItsTask_IsReportedLikeAnyFailure(CallPolicy policy)
    {
        var result = await _cluster.TryAsync<int>(() => throw new RefusedException(Refusal.InvalidRequest, "unknown op"), policy);

        Assert.Equal(new ClientError(ErrorCodes.InvalidRequest, "unknown op", Retryable: false), result.Error);
    }

    [Fact]
    public async Task WithoutAValue_NullMeansItSucceeded()
    {
        Assert.Null(await _cluster.TryAsync(() => Task.CompletedTask, CallPolicy.Unbounded));
        Assert.Equal(ErrorCodes.Unavailable, (await _cluster.TryAsync(() => Task.FromException(new TimeoutException()), CallPolicy.Unbounded))?.Code);
    }

    [Fact]
    public void FireAndForget_ACallThatThrowsAtOnce_IsSwallowed()
    {
        _cluster.FireAndForget(() => throw new InvalidOperationException("cannot start"));
    }
}
