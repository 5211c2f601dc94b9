using ImActors.Client.Requests;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client;

// Requests: group management, conversations, read marks, recalls and typing. Each waits for its result,
// across reconnects, until RequestTimeout; refusals throw ImClientException with the server's code.
public sealed partial class ImClient
{
    /// <summary>Creates a group with this user as owner. Creating it again (a retry) returns it unchanged.</summary>
    public async Task<GroupInfo> CreateGroupAsync(
        string groupId, IReadOnlyList<string> members, bool open = false, CancellationToken cancellationToken = default) =>
        ToInfo(await RequestAsync(new RequestFrame { Op = RequestOps.GroupCreate, Group = groupId, Members = [.. members], Open = open }, cancellationToken));

    /// <summary>Adds up to 1000 members per call (owner/admins; any member of an open group).</summary>
    public Task<GroupChangeResult> AddMembersAsync(string groupId, IReadOnlyList<string> members, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupAdd, Group = groupId, Members = [.. members] }, cancellationToken);

    public Task<GroupChangeResult> RemoveMembersAsync(string groupId, IReadOnlyList<string> members, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupRemove, Group = groupId, Members = [.. members] }, cancellationToken);

    public Task<GroupChangeResult> JoinGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupJoin, Group = groupId }, cancellationToken);

    public Task<GroupChangeResult> LeaveGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupLeave, Group = groupId }, cancellationToken);

    /// <param name="role">"admin" or "member".</param>
    public Task<GroupChangeResult> SetRoleAsync(string groupId, string member, string role, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupRole, Group = groupId, Member = member, Role = role }, cancellationToken);

    public Task<GroupChangeResult> MuteAsync(string groupId, string member, bool muted, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupMute, Group = groupId, Member = member, Muted = muted }, cancellationToken);

    public Task<GroupChangeResult> TransferOwnershipAsync(string groupId, string newOwner, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupTransfer, Group = groupId, Member = newOwner }, cancellationToken);

    public Task<GroupChangeResult> DissolveGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        ChangeAsync(new RequestFrame { Op = RequestOps.GroupDissolve, Group = groupId }, cancellationToken);

    public async Task<GroupInfo> GetGroupInfoAsync(string groupId, CancellationToken cancellationToken = default) =>
        ToInfo(await RequestAsync(new RequestFrame { Op = RequestOps.GroupInfo, Group = groupId }, cancellationToken));

    /// <summary>A page of members ordered by user id; pass the returned cursor as <paramref name="after"/> for the next one.</summary>
    public async Task<(IReadOnlyList<GroupMemberInfo> Members, string? Next)> GetMembersAsync(
        string groupId, string? after = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(
            new RequestFrame { Op = RequestOps.GroupMembers, Group = groupId, After = after, Limit = limit }, cancellationToken);
        return ((result.Members ?? []).Select(m => new GroupMemberInfo(m.User, m.Role, m.Muted, m.JoinedSeq)).ToList(), result.Next);
    }

    /// <summary>How many of the group's members have read up to <paramref name="seq"/>, and how many members there are.</summary>
    public async Task<(long Read, long Members)> GetReadCountAsync(string groupId, long seq, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(new RequestFrame { Op = RequestOps.ReadCount, Group = groupId, Seq = seq }, cancellationToken);
        return (result.Read, result.Total);
    }

    /// <summary>Every conversation of the user (all pages).</summary>
    public async Task<IReadOnlyList<ConversationInfo>> GetConversationsAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<ConversationInfo>();
        string? after = null;
        do
        {
            var page = await RequestAsync(new RequestFrame { Op = RequestOps.Conversations, After = after, Limit = 500 }, cancellationToken);
            all.AddRange((page.Conversations ?? []).Select(c =>
                new ConversationInfo(c.Type, c.Id, c.LastSeq, c.ReadSeq, c.Unread, c.PeerReadSeq, c.FirstSeq)));
            after = page.Next;
        }
        while (after is not null);

        return all;
    }

    /// <summary>
    /// Marks a conversation read up to <paramref name="seq"/> (1:1: a seq of this user's inbox in that conversation;
    /// group: a timeline seq). The user's other devices are told; in 1:1 the peer gets a receipt.
    /// </summary>
    public async Task<ReadStateUpdate> MarkReadAsync(ConversationRef conversation, long seq, CancellationToken cancellationToken = default)
    {
        var result = await RequestAsync(
            new RequestFrame { Op = RequestOps.Read, Peer = conversation.Peer, Group = conversation.Group, Seq = seq }, cancellationToken);
        return new ReadStateUpdate(conversation.Peer, conversation.Group, result.Read, result.Total);
    }

    /// <summary>
    /// Recalls a message within the server's recall window (1:1: the seq of this user's inbox copy of a message it
    /// sent; group: the timeline seq; admins may recall anyone's). Returns the seq of the recall event.
    /// </summary>
    public async Task<long> RecallAsync(ConversationRef conversation, long seq, CancellationToken cancellationToken = default) =>
        (await RequestAsync(new RequestFrame { Op = RequestOps.Recall, Peer = conversation.Peer, Group = conversation.Group, Seq = seq },
            cancellationToken)).Seq;

    /// <summary>Tells the conversation's online participants this user is typing. Not stored; the server allows about one per second.</summary>
    public async Task SendTypingAsync(ConversationRef conversation, CancellationToken cancellationToken = default) =>
        await _connection.TrySendAsync(
            FrameEncoder.Encode(FrameKind.Typing, new TypingFrame { Peer = conversation.Peer, Group = conversation.Group }), cancellationToken);

    private async Task<GroupChangeResult> ChangeAsync(RequestFrame request, CancellationToken cancellationToken)
    {
        var result = await RequestAsync(request, cancellationToken);
        return new GroupChangeResult(result.Seq, result.Changed);
    }

    private async Task<ResultFrame> RequestAsync(RequestFrame request, CancellationToken cancellationToken)
    {
        ThrowIfRefused();
        request.RequestId = _requests.NextId();
        var pending = new PendingRequest(request.RequestId, FrameEncoder.Encode(FrameKind.Request, request));
        _requests.Await(pending);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            // Sent now if connected; otherwise the next connection sends every pending request.
            await _connection.TrySendAsync(pending.Frame, deadline.Token);
            return await pending.Result.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImClientException(0, $"no answer to {request.Op} within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            _requests.Forget(pending);
        }
    }

    private static GroupInfo ToInfo(ResultFrame result) =>
        result.Group is { } g
            ? new GroupInfo(g.Id, g.Owner, g.Open, g.MemberCount, g.Seq, g.MaxMembers)
            : throw new ImClientException(ErrorCodes.Internal, "the server's answer carries no group");
}
