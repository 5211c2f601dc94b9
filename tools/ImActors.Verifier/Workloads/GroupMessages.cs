using ImActors.Client;
using ImActors.Verifier.Audit;

namespace ImActors.Verifier.Workloads;

/// <summary>
/// Group messages: users are split into groups of <see cref="GroupSize"/> (the first of each creates it), and
/// every user sends to its group at the steady rate. A message must end up exactly once in the group's
/// timeline (read diffusion: nothing is copied into inboxes), under the seq its ACK gave.
/// </summary>
public sealed class GroupMessages : IWorkload
{
    public const int GroupSize = 4;

    public string Name => "group";

    public static string Timeline(string group) => "group:" + group;

    /// <summary>The groups of the run: id, and the users in it (the first is the owner).</summary>
    public static List<(string Group, List<SimulatedUser> Members)> Groups(WorkloadContext context) =>
        context.Users.Chunk(GroupSize).Where(c => c.Length >= 2).Select(c => ("g-" + c[0].Id, c.ToList())).ToList();

    public async Task RunAsync(WorkloadContext context, CancellationToken stopSending, CancellationToken giveUp)
    {
        var groups = Groups(context);
        // Creating is idempotent for the same owner, so a create retried across a failure is safe.
        await Task.WhenAll(groups.Select(g => CreateAsync(context, g.Group, g.Members, giveUp)));
        await Task.WhenAll(groups.SelectMany(g => g.Members.Select(m => SendLoopAsync(context, g.Group, m, stopSending, giveUp))));
    }

    public async Task AuditAsync(WorkloadContext context, AuditFindings findings, CancellationToken cancellationToken)
    {
        var expected = context.Ledger.ByConversation();
        foreach (var (group, members) in Groups(context))
        {
            var conversation = Timeline(group);
            var read = await ReadAsync(context, group, members[0], cancellationToken);
            if (read is not { } timeline)
            {
                ConversationAudit.Unreadable(conversation, context.Observed.Of(conversation), findings);
                continue;
            }

            ConversationAudit.Check(
                conversation, timeline.Entries, timeline.End, expected.GetValueOrDefault(conversation) ?? [], context.Observed.Of(conversation), findings,
                timeline.TrimmedTo);
        }
    }

    private static async Task CreateAsync(WorkloadContext context, string group, List<SimulatedUser> members, CancellationToken giveUp)
    {
        while (true)
        {
            try
            {
                await members[0].Client.CreateGroupAsync(group, members.Skip(1).Select(m => m.Id).ToList(), cancellationToken: giveUp);
                return;
            }
            catch (ImClientException e) when (!giveUp.IsCancellationRequested)
            {
                context.Options.Log?.WriteLine($"{group}: create failed, retrying: {e.Message}");
                await Task.Delay(TimeSpan.FromMilliseconds(500), giveUp);
            }
        }
    }

    private static Task SendLoopAsync(
        WorkloadContext context, string group, SimulatedUser user, CancellationToken stopSending, CancellationToken giveUp) =>
        PacedSends.RunAsync(context, user, stopSending, (n, _) =>
        {
            var cmid = $"{user.Id}-g{n}";
            return new PlannedSend(cmid, [Timeline(group)], Timeline(group),
                () => user.Client.SendGroupTextAsync(group, WorkloadContext.BodyPrefix + cmid, cmid, giveUp));
        });

    /// <summary>The group's whole timeline as its owner (a member from seq 1) reads it through the SDK.</summary>
    private static async Task<(List<StoredEntry> Entries, long End, long TrimmedTo)?> ReadAsync(
        WorkloadContext context, string group, SimulatedUser owner, CancellationToken cancellationToken)
    {
        var entries = new List<StoredEntry>();
        try
        {
            // An empty group position map: every group is read from the reader's join, the inbox from its end.
            var client = context.NewClient(owner.Id, owner.Index, "audit-group", resumeAfterSeq: null, resumeGroups: new Dictionary<string, long>());
            await using (client)
            {
                await client.ConnectAsync(cancellationToken);
                var end = (await client.GetGroupInfoAsync(group, cancellationToken)).Seq;
                var last = 0L;
                while (last < end)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    quiet.CancelAfter(TimeSpan.FromSeconds(10));
                    var message = await client.Messages.ReadAsync(quiet.Token);
                    if (message.Group != group)
                    {
                        continue;
                    }

                    entries.Add(new StoredEntry(message.Seq, message.Id, WorkloadContext.ClientMessageIdOf(message.Text),
                        ServerEvent: message.ContentType.StartsWith("application/vnd.imactors.", StringComparison.Ordinal)));
                    last = Math.Max(last, message.Seq);
                }

                return (entries, end, client.TrimmedTo(group));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            context.Options.Log?.WriteLine($"audit: {group} stopped after {entries.Count} entries");
            return (entries, entries.Count == 0 ? 1 : entries[^1].Seq + 1, 0);
        }
        catch (ImClientException e)
        {
            context.Options.Log?.WriteLine($"audit: cannot read {group}: {e.Message}");
            return null;
        }
    }
}
