using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Client;

// The user's block list: a blocked user's 1:1 sends to this user fail with ImClientException code 450 (blocked);
// group messages are not touched. Over the limit, BlockAsync fails with 451 (block_limit).
public sealed partial class ImClient
{
    /// <summary>Blocks <paramref name="user"/>. False when they were blocked already.</summary>
    public async Task<bool> BlockAsync(string user, CancellationToken cancellationToken = default) =>
        (await RequestAsync(new RequestFrame { Op = RequestOps.Block, Peer = user }, cancellationToken)).Changed > 0;

    /// <summary>Unblocks <paramref name="user"/>. False when they were not blocked.</summary>
    public async Task<bool> UnblockAsync(string user, CancellationToken cancellationToken = default) =>
        (await RequestAsync(new RequestFrame { Op = RequestOps.Unblock, Peer = user }, cancellationToken)).Changed > 0;

    /// <summary>Every user this user has blocked (all pages), in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> GetBlockedAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<string>();
        string? after = null;
        do
        {
            var page = await RequestAsync(new RequestFrame { Op = RequestOps.Blocks, After = after, Limit = 1000 }, cancellationToken);
            all.AddRange(page.Users ?? []);
            after = page.Next;
        }
        while (after is not null);

        return all;
    }
}
