using System.Collections.Concurrent;
using System.Threading.Channels;
using ImActors.Client.Connections;
using ImActors.Client.Requests;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Client.Inbox;

/// <summary>
/// Catches the inbox and the user's group timelines up after every welcome and keeps them gap-free while connected,
/// handing each entry to the application in seq order, once. Runs on the receive loop, apart from the positions
/// read for the application, so the cursors need no locks of their own.
/// </summary>
internal sealed class SyncEngine(ImClientOptions options, RequestCorrelator requests)
{
    private readonly Channel<InboxMessage> _messages = Channel.CreateUnbounded<InboxMessage>(new UnboundedChannelOptions { SingleWriter = true });
    // Entries made ready while one frame is handled; handed over once it is.
    private readonly List<MessageFrame> _ready = [];
    // Completes once the first connection is welcomed and knows the user's groups: from then on, everything
    // new in the inbox and in every group reaches the application.
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Per log, the seq up to which retention had removed its entries at its last sync (read by the application).
    private readonly ConcurrentDictionary<string, long> _trimmed = new(StringComparer.Ordinal);
    private CursorSet? _cursors;
    private bool _welcomedBefore;

    public ChannelReader<InboxMessage> Messages => _messages.Reader;

    /// <summary>Completes when the first connection has learnt the user's groups; fails when the client is refused first.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>Every inbox seq up to here has been handed to the application or was sent by this device.</summary>
    public long LastSeq => _cursors?.Inbox.Last ?? options.ResumeAfterSeq ?? 0;

    public IReadOnlyDictionary<string, long> GroupSeqs => _cursors?.Snapshot() ?? options.ResumeGroups ?? new Dictionary<string, long>();

    /// <summary>The seq up to which retention had removed the inbox's (or the group's) entries when it was last synced; 0 if none.</summary>
    public long TrimmedTo(string? group) => _trimmed.GetValueOrDefault(group ?? CursorSet.InboxKey);

    public void OnWelcome(WelcomeFrame welcome)
    {
        _cursors ??= new CursorSet(options.ResumeAfterSeq ?? welcome.InboxSeq, options.ResumeGroups);
        _cursors.ResetSyncs();
    }

    /// <summary>
    /// Syncs the inbox, and asks for the conversation list: every group with entries past this device's cursor is
    /// then synced (read diffusion: group messages are not in the inbox, so the inbox sync alone would miss them).
    /// </summary>
    public async Task CatchUpAsync(Connection connection)
    {
        await RequestSyncAsync(connection, CursorSet.InboxKey);
        await RequestConversationsAsync(connection, after: null);
    }

    public async ValueTask OnMessageAsync(Connection connection, MessageFrame message)
    {
        var cursors = _cursors!;
        var key = message.Group ?? CursorSet.InboxKey;
        // A group new to this device (just joined): its history starts at this entry, normally the join event.
        var cursor = message.Group is null ? cursors.Inbox : cursors.GetOrAddGroup(message.Group, message.Seq - 1);
        cursor.Accept(message, _ready);
        await FillGapAsync(connection, key);
    }

    /// <summary>
    /// This device's own send was stored at <paramref name="seq"/> (of the group's timeline, or of the inbox when
    /// <paramref name="group"/> is null): held, and not handed to the application.
    /// </summary>
    public async ValueTask OnOwnSendAsync(Connection connection, string? group, long seq)
    {
        if (group is not null)
        {
            _cursors!.Group(group)?.AcceptOwn(seq, _ready);
            return;
        }

        _cursors!.Inbox.AcceptOwn(seq, _ready);
        await FillGapAsync(connection, CursorSet.InboxKey);
    }

    /// <summary>Hands the entries the last frame made ready to the application.</summary>
    public void HandOver()
    {
        foreach (var message in _ready)
        {
            _messages.Writer.TryWrite(InboxMessage.FromFrame(message));
        }

        _ready.Clear();
    }

    /// <summary>The client was refused for good: the application hears why.</summary>
    public void Stop(Exception reason)
    {
        _caughtUp.TrySetException(reason);
        _messages.Writer.TryComplete(reason);
    }

    /// <summary>The client was disposed.</summary>
    public void Complete() => _messages.Writer.TryComplete();

    private async ValueTask RequestSyncAsync(Connection connection, string key)
    {
        var after = _cursors!.Of(key).Last;
        _cursors.StartSync(key);
        var sync = new ConnectionRequest<SyncPageFrame>(
            requests.NextId(), page => OnPageAsync(connection, key, page), error => OnSyncFailed(key, error));
        requests.Await(sync);
        await connection.SendAsync(FrameKind.Sync, new SyncFrame
        {
            Group = key == CursorSet.InboxKey ? null : key, RequestId = sync.RequestId, After = after, Limit = options.SyncPageSize,
        });
    }

    private async ValueTask OnPageAsync(Connection connection, string key, SyncPageFrame page)
    {
        var cursors = _cursors!;
        if (key != CursorSet.InboxKey && cursors.Group(key) is null)
        {
            // Left or removed while the page was on its way: nothing more to read there.
            return;
        }

        cursors.EndSync(key);
        if (page.Trimmed > 0)
        {
            _trimmed.AddOrUpdate(key, page.Trimmed, (_, known) => Math.Max(known, page.Trimmed));
        }

        AcceptPage(cursors.Of(key), page, _ready);
        if (page.HasMore)
        {
            await RequestSyncAsync(connection, key);
        }

        await FillGapAsync(connection, key);
    }

    private ValueTask OnSyncFailed(string key, ErrorFrame error)
    {
        _cursors!.EndSync(key);
        if (error.Code is ErrorCodes.NotMember or ErrorCodes.NoSuchGroup)
        {
            // Left, removed or dissolved: nothing more to read there.
            _cursors.RemoveGroup(key);
        }

        return ValueTask.CompletedTask;
    }

    private static void AcceptPage(InboxCursor cursor, SyncPageFrame page, List<MessageFrame> ready)
    {
        if (page.Floor > cursor.Last)
        {
            // The reader's history starts later (a group joined after this cursor, or retention removed what was
            // before it; page.Trimmed says which): nothing before exists for them.
            cursor.SkipTo(page.Floor, ready);
        }

        foreach (var message in page.Messages)
        {
            // A page holds every entry of the seqs it covers, so a seq it steps over holds nothing: trimmed by
            // retention (before its first entry), or a send the store recovered only in part after a crash.
            cursor.SkipTo(message.Seq - 1, ready);
            cursor.Accept(message, ready);
        }

        if (!page.HasMore && page.Messages.Length == 0 && cursor.HasGap)
        {
            // Nothing after our cursor, yet we hold later seqs: the ones between were trimmed.
            cursor.SkipToFirstHeld(ready);
        }
    }

    private async ValueTask FillGapAsync(Connection connection, string key)
    {
        if (_cursors!.Of(key).HasGap && !_cursors.IsSyncing(key))
        {
            // A push arrived ahead of one we have not seen (pushes are best effort): fetch what is missing.
            await RequestSyncAsync(connection, key);
        }
    }

    private async ValueTask RequestConversationsAsync(Connection connection, string? after)
    {
        var list = new ConnectionRequest<ResultFrame>(requests.NextId(), page => CatchUpGroupsAsync(connection, page), _ =>
        {
            // The groups stay as they are until the next connect asks again; the inbox works regardless.
            _caughtUp.TrySetResult();
            return ValueTask.CompletedTask;
        });
        requests.Await(list);
        await connection.SendAsync(FrameKind.Request, new RequestFrame
        {
            RequestId = list.RequestId, Op = RequestOps.Conversations, After = after, Limit = ProtocolDefaults.MaxSyncPageSize,
        });
    }

    private async ValueTask CatchUpGroupsAsync(Connection connection, ResultFrame page)
    {
        var cursors = _cursors!;
        foreach (var conversation in (page.Conversations ?? []).Where(c => c.Type == "group"))
        {
            // A device that asked to start at the end (no resume position) starts groups at their end on its first
            // connect; afterwards a group it has not seen yet was joined meanwhile and is read from the join.
            var start = !_welcomedBefore && options.ResumeAfterSeq is null && options.ResumeGroups is null
                ? conversation.LastSeq
                : conversation.FirstSeq;
            var cursor = cursors.GetOrAddGroup(conversation.Id, start);
            if (conversation.LastSeq > cursor.Last && !cursors.IsSyncing(conversation.Id))
            {
                await RequestSyncAsync(connection, conversation.Id);
            }
        }

        if (page.Next is not null)
        {
            await RequestConversationsAsync(connection, page.Next);
        }
        else
        {
            _welcomedBefore = true;
            _caughtUp.TrySetResult();
        }
    }
}
