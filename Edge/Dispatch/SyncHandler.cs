using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Compression;
using ImActors.Edge.Connections;
using ImActors.Edge.Delivery;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Dispatch;

/// <summary>Sync frames: a page of the user's inbox or of a group's timeline, after a seq the client already has.</summary>
public sealed class SyncHandler(GrainRefs grains, ClusterCalls cluster, WireBodies bodies, IOptions<EdgeSettings> settings)
{
    public async Task SyncAsync(ClientConnection connection, SyncFrame sync)
    {
        // A valid rid comes back with the refusal, as with every other answer to this sync; an invalid one cannot.
        var validRid = sync.RequestId is not null && Identifiers.IsValidRequestId(sync.RequestId) ? sync.RequestId : null;
        if (sync.After < 0 || sync.Limit < 1 || sync.Limit > ProtocolDefaults.MaxSyncPageSize
            || (sync.Group is not null && !Identifiers.IsValid(sync.Group))
            || (sync.RequestId is not null && validRid is null))
        {
            connection.ReplyError(ErrorCodes.InvalidRequest,
                $"after must be >= 0, limit 1-{ProtocolDefaults.MaxSyncPageSize}, and group and rid (if any) valid ids", requestId: validRid);
            return;
        }

        // A page of large messages is cut short (hasMore) rather than sent as one huge frame.
        var maxBytes = settings.Value.MaxFrameBytes;
        var read = await cluster.TryAsync(() => sync.Group is { } group
            ? grains.Get<IGroupGrain>(group).Read(connection.UserId!, sync.After, sync.Limit, maxBytes)
            : grains.Get<IUserGrain>(connection.UserId!).Sync(sync.After, sync.Limit, maxBytes),
            CallPolicy.Retried);
        if (read.Error is { } error)
        {
            connection.ReplyError(error, requestId: sync.RequestId);
            return;
        }

        var page = read.Value;
        connection.Reply(FrameKind.SyncPage, new SyncPageFrame
        {
            Group = sync.Group,
            RequestId = sync.RequestId,
            Messages = page.Messages.Select(m => connection.Compresses ? bodies.Compress(MessageFrames.From(m)) : MessageFrames.From(m)).ToArray(),
            HasMore = page.HasMore,
            InboxSeq = page.InboxSeq,
            Floor = page.Floor,
            Trimmed = page.Trimmed,
        });
    }
}
