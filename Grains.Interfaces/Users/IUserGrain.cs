using ImActors.Grains.Interfaces.Conversations;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;
using Orleans.Concurrency;

namespace ImActors.Grains.Interfaces.Users;

/// <summary>
/// One user (key: the user id). Owns the user's live sessions, inbox sequence and log, and the
/// dedup window of the user's client message ids. Business services call it like the edge does; the edge
/// registers the user's connections through <see cref="Edges.IUserSessions"/>, which services never need.
/// </summary>
[Alias("imactors.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The most users one user may block (<see cref="Block"/>).</summary>
    const int MaxBlocked = 1000;

    /// <summary>
    /// Sends a 1:1 message to this user. Returns only after the message is durably appended to this
    /// user's inbox and to the sender's; then pushes it to every online device of both users except the
    /// sending device. Throws <see cref="StoreUnavailableException"/> when nothing could be stored.
    /// </summary>
    [Alias("Send")]
    Task<SendResult> Send(SendRequest request);

    /// <summary>
    /// Sends a 1:1 message from the system (a business service, no sending user) to this user: a notification, a
    /// receipt, a code. It is stored in this user's inbox only (the system keeps no inbox, so there is no sender's copy)
    /// and shows as a message with <c>from: ""</c> in the user's conversation with the system
    /// (<see cref="ConversationRef.System"/>: listed with type <c>system</c>, its own unread count and read mark).
    /// Returns only after the message is durably stored, then pushes it to every online device of the user.
    /// <see cref="SendResult.Seq"/> and <see cref="SendResult.RecipientSeq"/> are both its seq in this user's inbox.
    /// A retry with the same <see cref="SystemSendRequest.ClientMessageId"/> within the dedup window returns the first
    /// answer with <see cref="SendResult.Duplicate"/> set and stores nothing. Throws <see cref="RefusedException"/>
    /// (<see cref="Refusal.InvalidRequest"/>) for a bad user id, cmid or content type, and
    /// <see cref="StoreUnavailableException"/> when nothing could be stored (repeat it with the same cmid).
    /// </summary>
    [Alias("SendFromSystem")]
    Task<SendResult> SendFromSystem(SystemSendRequest request);

    /// <summary>
    /// Inbox messages with seq greater than <paramref name="after"/>, oldest first: at most <paramref name="limit"/>
    /// (500 at most), and only as many as fit in about <paramref name="maxBytes"/> (always at least one).
    /// <see cref="SyncResult.HasMore"/> says whether more follow.
    /// </summary>
    [AlwaysInterleave, Alias("Sync")]
    Task<SyncResult> Sync(long after, int limit, int maxBytes);

    /// <summary>The live sessions (devices online now).</summary>
    [Alias("GetSessions")]
    Task<IReadOnlyList<SessionInfo>> GetSessions();

    /// <summary>The highest seq in the user's inbox.</summary>
    [AlwaysInterleave, Alias("GetInboxSeq")]
    Task<long> GetInboxSeq();

    /// <summary>The user's conversations (1:1 peers and groups) ordered by id, after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    [AlwaysInterleave, Alias("GetConversations")]
    Task<IReadOnlyList<Conversation>> GetConversations(string? after, int limit);

    /// <summary>
    /// Marks a conversation read up to <paramref name="seq"/>;
    /// the cursor only moves forward. The user's other devices are told, and in 1:1 the peer gets a receipt (the
    /// system, in <see cref="ConversationRef.System"/>, gets none).
    /// </summary>
    [Alias("MarkRead")]
    Task<ReadState> MarkRead(ConversationRef conversation, long seq, string exceptDevice);

    /// <summary>An ephemeral typing notice from <paramref name="from"/> to this user's online devices.</summary>
    [OneWay, Alias("Typing")]
    Task Typing(string from);

    /// <summary>
    /// Recalls a 1:1 message this user sent to <paramref name="peer"/>: <paramref name="seq"/> is its seq in this user's
    /// inbox. Both copies become tombstones and a recall event is appended to both inboxes. Returns the event's seq in this inbox.
    /// Messages from the system are not recalled by their recipient: <paramref name="peer"/> "" is refused (<see cref="Refusal.Forbidden"/>).
    /// </summary>
    [Alias("Recall")]
    Task<long> Recall(string peer, long seq, string exceptDevice);

    /// <summary>
    /// Closes the user's connections (one device, or all when <paramref name="device"/> is null) with closing code 410
    /// (<c>kicked</c>) and <paramref name="reason"/>. The devices may sign in again; <see cref="Ban"/> keeps them out.
    /// </summary>
    [Alias("Kick")]
    Task Kick(string? device, string reason);

    /// <summary>
    /// Bans the user: every live session, on every edge, is closed at once with closing code 448 (<c>banned</c>) and
    /// <paramref name="reason"/> (1-200 characters), and every later hello is refused with error 448 until
    /// <see cref="Unban"/>. Kept in the user's own store keys, so it outlives the grain's activation and restarts.
    /// Banning a banned user replaces the reason and the time. Throws <see cref="RefusedException"/>
    /// (<see cref="Refusal.InvalidRequest"/>) for an empty or overlong reason, <see cref="StoreUnavailableException"/>
    /// when the store does not answer (nothing was changed, or the ban stands and the call may be repeated).
    /// </summary>
    [Alias("Ban")]
    Task<BanInfo> Ban(string reason);

    /// <summary>Lifts the ban: the user's devices may sign in again. Returns false when the user was not banned.</summary>
    [Alias("Unban")]
    Task<bool> Unban();

    /// <summary>The user's ban, or null when they are not banned.</summary>
    [AlwaysInterleave, Alias("GetBan")]
    Task<BanInfo?> GetBan();

    /// <summary>
    /// Blocks <paramref name="user"/>: their 1:1 sends to this user are refused with <see cref="Refusal.Blocked"/> and
    /// nothing stored, and their typing notices and read receipts to this user are dropped. Group messages are not
    /// touched, and this user may still send to them (decision 112). Kept in this user's own store keys. Returns false
    /// when they were blocked already. Throws <see cref="RefusedException"/>: <see cref="Refusal.InvalidRequest"/> for a
    /// bad id or this user's own, <see cref="Refusal.BlockLimit"/> past <see cref="MaxBlocked"/> users.
    /// </summary>
    [Alias("Block")]
    Task<bool> Block(string user);

    /// <summary>Unblocks <paramref name="user"/>; false when they were not blocked.</summary>
    [Alias("Unblock")]
    Task<bool> Unblock(string user);

    /// <summary>The users this user has blocked, in ordinal order (at most <see cref="MaxBlocked"/>).</summary>
    [Alias("GetBlocked")]
    Task<IReadOnlyList<string>> GetBlocked();

    /// Revokes the user's tokens, or one device's when <paramref name="device"/> is given (decision 107): from now on a
    /// token issued before this moment (its <c>iat</c>, or no <c>iat</c> at all) is refused at hello and reauth with
    /// 414 (<c>token_revoked</c>), the refresh tokens of the user (or the device) are deleted, and the live sessions
    /// concerned are closed at once, on every edge, with closing code 414. Returns the "valid after" time stored.
    /// </summary>
    [Alias("Revoke")]
    Task<DateTimeOffset> Revoke(string? device);

    /// <summary>
    /// Issues a refresh token for one device of the user, in a new family that replaces the device's previous one
    /// (decision 106). A login service calls it once it has checked the user's credentials, and hands the token to the
    /// device, which exchanges it at an edge for access tokens (the <c>refresh</c> frame).
    /// </summary>
    [Alias("IssueRefreshToken")]
    Task<RefreshGrant> IssueRefreshToken(string device);
}
