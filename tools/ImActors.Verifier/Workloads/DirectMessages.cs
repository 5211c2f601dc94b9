using ImActors.Verifier.Audit;

namespace ImActors.Verifier.Workloads;

/// <summary>
/// 1:1 messages: every user sends to a random other user at a steady rate, one send at a time. A message
/// must end up in two inboxes: the recipient's and the sender's own (the sender's other devices see it there).
/// </summary>
public sealed class DirectMessages : IWorkload
{
    public string Name => "direct";

    public static string Inbox(string user) => "inbox:" + user;

    public Task RunAsync(WorkloadContext context, CancellationToken stopSending, CancellationToken giveUp) =>
        Task.WhenAll(context.Users.Select(user => SendLoopAsync(context, user, stopSending, giveUp)));

    public async Task AuditAsync(WorkloadContext context, AuditFindings findings, CancellationToken cancellationToken)
    {
        var expected = context.Ledger.ByConversation();
        var results = new (SimulatedUser User, (List<StoredEntry> Entries, long End, long TrimmedTo)? Read)[context.Users.Count];
        // A handful of readers at a time: every reader is two connections and a full sync.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, context.Users.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = (context.Users[i], await InboxReader.ReadAsync(context, context.Users[i], ct)));

        foreach (var (user, read) in results)
        {
            var conversation = Inbox(user.Id);
            if (read is not { } inbox)
            {
                ConversationAudit.Unreadable(conversation, context.Observed.Of(conversation), findings);
                continue;
            }

            ConversationAudit.Check(
                conversation, inbox.Entries, inbox.End, expected.GetValueOrDefault(conversation) ?? [], context.Observed.Of(conversation), findings,
                inbox.TrimmedTo);
        }
    }

    private static Task SendLoopAsync(WorkloadContext context, SimulatedUser user, CancellationToken stopSending, CancellationToken giveUp)
    {
        var users = context.Users;
        if (users.Count < 2)
        {
            return Task.CompletedTask;
        }

        return PacedSends.RunAsync(context, user, stopSending, (n, random) =>
        {
            var to = users[(user.Index + 1 + random.Next(users.Count - 1)) % users.Count];
            var cmid = $"{user.Id}-{n}";
            return new PlannedSend(cmid, [Inbox(to.Id), Inbox(user.Id)], Inbox(user.Id),
                () => user.Client.SendTextAsync(to.Id, WorkloadContext.BodyPrefix + cmid, cmid, giveUp), PeerConversation: Inbox(to.Id));
        });
    }
}
