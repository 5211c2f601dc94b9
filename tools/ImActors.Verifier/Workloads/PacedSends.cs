using System.Diagnostics;
using ImActors.Client;

namespace ImActors.Verifier.Workloads;

/// <summary>One send a workload is about to make: its client message id, where it must end up, and how to send it.</summary>
/// <param name="AckConversation">The conversation whose seq the ACK gives.</param>
/// <param name="PeerConversation">A 1:1 send's recipient's inbox, whose seq the ACK gives as its peerSeq.</param>
public sealed record PlannedSend(
    string ClientMessageId, IReadOnlyList<string> Conversations, string AckConversation, Func<Task<SendReceipt>> Send, string? PeerConversation = null);

/// <summary>
/// The send loop every workload shares: one send at a time per user at the run's rate, starting at a random
/// offset within one interval (so the load is steady rather than in bursts), each send recorded in the ledger
/// and its ACK with it. A send that is never ACKed ends the user's loop: it may or may not be stored, but never
/// twice, and the audit checks that.
/// </summary>
public static class PacedSends
{
    public static async Task RunAsync(
        WorkloadContext context, SimulatedUser user, CancellationToken stopSending, Func<int, Random, PlannedSend> plan)
    {
        var interval = TimeSpan.FromSeconds(1 / context.Options.Rate);
        var random = new Random(user.Index);
        if (!await DelayAsync(interval * random.NextDouble(), stopSending))
        {
            return;
        }

        for (var n = 1; !stopSending.IsCancellationRequested; n++)
        {
            var started = Stopwatch.GetTimestamp();
            var next = plan(n, random);
            var sent = context.Ledger.Record(next.ClientMessageId, user.Id, next.Conversations);
            try
            {
                var receipt = await next.Send();
                sent.Ack(receipt.MessageId, receipt.Seq, next.AckConversation, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                // The sending device now holds this seq as its own message and will skip anything else shown there.
                context.Observed.Record(next.AckConversation, receipt.Seq, receipt.MessageId);
                if (next.PeerConversation is { } peer && receipt.PeerSeq > 0)
                {
                    // The server says where the recipient's copy is: the audit holds the recipient's inbox to it too.
                    sent.AckPeer(receipt.PeerSeq, peer);
                    context.Observed.Record(peer, receipt.PeerSeq, receipt.MessageId);
                }
            }
            catch (Exception e) when (e is ImClientException or OperationCanceledException)
            {
                context.Options.Log?.WriteLine($"{user.Id}: {next.ClientMessageId} not ACKed: {e.Message}");
                return;
            }

            var rest = interval - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero && !await DelayAsync(rest, stopSending))
            {
                return;
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopSending)
    {
        try
        {
            await Task.Delay(delay, stopSending);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
