using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace ImActors.Integration.Tests.Edge;

/// <summary>What each kind of failed grain call is told to the client: code, reason, and whether to send again.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class GrainErrorsTests
{
    private readonly GrainErrors _errors = new(NullLogger<GrainErrors>.Instance);

    [Theory]
    [InlineData(Refusal.InvalidRequest, ErrorCodes.InvalidRequest)]
    [InlineData(Refusal.NotMember, ErrorCodes.NotMember)]
    [InlineData(Refusal.Forbidden, ErrorCodes.Forbidden)]
    [InlineData(Refusal.Muted, ErrorCodes.Muted)]
    [InlineData(Refusal.NoSuchGroup, ErrorCodes.NoSuchGroup)]
    [InlineData(Refusal.GroupExists, ErrorCodes.GroupExists)]
    [InlineData(Refusal.GroupFull, ErrorCodes.GroupFull)]
    [InlineData(Refusal.NotFound, ErrorCodes.NotFound)]
    [InlineData(Refusal.RecallWindowPassed, ErrorCodes.RecallWindowPassed)]
    [InlineData(Refusal.Superseded, ErrorCodes.Replaced)]
    [InlineData(Refusal.Banned, ErrorCodes.Banned)]
    [InlineData(Refusal.Blocked, ErrorCodes.Blocked)]
    [InlineData(Refusal.BlockLimit, ErrorCodes.BlockLimit)]
    [InlineData(Refusal.UnreadLimit, ErrorCodes.UnreadLimit)]
    [InlineData((Refusal)99, ErrorCodes.InvalidRequest)]
    public void Refusal_GetsItsOwnCode_TheGrainsReason_AndIsNotRetryable(Refusal reason, int code)
    {
        var error = _errors.Classify(new RefusedException(reason, "in the grain's words"));

        Assert.Equal(new ClientError(code, "in the grain's words", Retryable: false), error);
    }

    [Fact]
    public void StoreAway_IsUnavailable_AndRetryable()
    {
        var error = _errors.Classify(new StoreUnavailableException("connection refused"));

        Assert.Equal(new ClientError(ErrorCodes.Unavailable, "message store unavailable; retry with the same cmid", Retryable: true), error);
    }

    public static TheoryData<Exception> ClusterFailures() => new()
    {
        new TimeoutException(),
        new OrleansException("gateway lost"),
        new SiloUnavailableException(),
        new ConnectionFailedException("no gateway"),
        new GatewayTooBusyException(),
        new InconsistentStateException("two activations"),
    };

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public void ClusterFailure_IsUnavailable_AndRetryable(Exception failure)
    {
        var error = _errors.Classify(failure);

        Assert.Equal(new ClientError(ErrorCodes.Unavailable, "cluster temporarily unavailable; retry with the same cmid", Retryable: true), error);
    }

    [Fact]
    public void BadArgument_IsAnInvalidRequest_WithItsMessage_AndNotRetryable()
    {
        var failure = new ArgumentException("key must not be empty");

        Assert.Equal(new ClientError(ErrorCodes.InvalidRequest, failure.Message, Retryable: false), _errors.Classify(failure));
    }

    [Fact]
    public void AnythingElse_IsInternal_AndRetryable_SinceResendingTheSameCmidIsSafe()
    {
        var error = _errors.Classify(new InvalidOperationException("a bug"));

        Assert.Equal(new ClientError(ErrorCodes.Internal, "internal error; retry with the same cmid", Retryable: true), error);
    }
}
