using ImActors.Verifier.Workloads;

namespace ImActors.Verifier.Audit;

/// <summary>Reads a user's whole inbox from seq 0 through the SDK, as a device with an empty history would.</summary>
public static class InboxReader
{
    // Reading stops this long after the last message when the inbox's end never arrives (a gap at the end).
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The entries in the order the SDK handed them over, the inbox's last seq as the server announced it, and the seq
    /// up to which retention had removed its entries; null when the inbox could not be read at all.
    /// </summary>
    public static async Task<(List<StoredEntry> Entries, long End, long TrimmedTo)?> ReadAsync(WorkloadContext context, SimulatedUser user, CancellationToken cancellationToken)
    {
        long end;
        try
        {
            // A client that does not resume starts at the inbox's current end: that is how we learn where it is.
            await using var probe = context.NewClient(user.Id, user.Index, "audit-probe", resumeAfterSeq: null);
            await probe.ConnectAsync(cancellationToken);
            end = probe.LastSeq;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Options.Log?.WriteLine($"audit: cannot connect as {user.Id}: {e.Message}");
            return null;
        }

        var entries = new List<StoredEntry>();
        if (end == 0)
        {
            return (entries, end, 0);
        }

        await using var reader = context.NewClient(user.Id, user.Index, "audit", resumeAfterSeq: 0);
        try
        {
            await reader.ConnectAsync(cancellationToken);
            var last = 0L;
            while (last < end)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quiet.CancelAfter(Quiet);
                var message = await reader.Messages.ReadAsync(quiet.Token);
                if (message.Group is not null)
                {
                    // The SDK hands over the user's group timelines too; they are audited by the group workload.
                    continue;
                }

                entries.Add(new StoredEntry(message.Seq, message.Id, WorkloadContext.ClientMessageIdOf(message.Text)));
                last = Math.Max(last, message.Seq);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The end never came: the audit counts the seqs up to it as gaps.
            context.Options.Log?.WriteLine($"audit: {user.Id} stopped at {entries.Count} entries, inbox ends at {end}");
        }

        return (entries, end, reader.TrimmedTo());
    }
}
