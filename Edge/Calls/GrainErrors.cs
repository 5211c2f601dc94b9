using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol;
using Microsoft.Extensions.Logging;

namespace ImActors.Edge.Calls;

/// <summary>What a failed grain call means for the client: one mapping for every kind of request.</summary>
public sealed class GrainErrors(ILogger<GrainErrors> logger)
{
    public ClientError Classify(Exception e)
    {
        switch (e)
        {
            case RefusedException refused:
                return new ClientError(CodeOf(refused.Reason), refused.Message, false);
            case StoreUnavailableException:
                return new ClientError(ErrorCodes.Unavailable, "message store unavailable; retry with the same cmid", true);
            case TimeoutException or OrleansException:
                // Silo restarts, moving activations, lost gateway connections: transient by nature.
                return new ClientError(ErrorCodes.Unavailable, "cluster temporarily unavailable; retry with the same cmid", true);
            case ArgumentException:
                return new ClientError(ErrorCodes.InvalidRequest, e.Message, false);
            default:
                logger.LogError(e, "Unexpected error from a grain call");
                // Whether it was stored is unknown; a retry with the same cmid is safe either way.
                return new ClientError(ErrorCodes.Internal, "internal error; retry with the same cmid", true);
        }
    }

    private static int CodeOf(Refusal reason) => reason switch
    {
        Refusal.NotMember => ErrorCodes.NotMember,
        Refusal.Forbidden => ErrorCodes.Forbidden,
        Refusal.Muted => ErrorCodes.Muted,
        Refusal.NoSuchGroup => ErrorCodes.NoSuchGroup,
        Refusal.GroupExists => ErrorCodes.GroupExists,
        Refusal.GroupFull => ErrorCodes.GroupFull,
        Refusal.NotFound => ErrorCodes.NotFound,
        Refusal.RecallWindowPassed => ErrorCodes.RecallWindowPassed,
        Refusal.Superseded => ErrorCodes.Replaced,
        Refusal.Banned => ErrorCodes.Banned,
        Refusal.WatchLimit => ErrorCodes.WatchLimit,
        Refusal.Blocked => ErrorCodes.Blocked,
        Refusal.BlockLimit => ErrorCodes.BlockLimit,
        Refusal.UnreadLimit => ErrorCodes.UnreadLimit,
        Refusal.TokenRevoked => ErrorCodes.TokenRevoked,
        Refusal.TokenInvalid => ErrorCodes.TokenInvalid,
        Refusal.TokenExpired => ErrorCodes.TokenExpired,
        _ => ErrorCodes.InvalidRequest,
    };
}
