using ImActors.Verifier.Audit;

namespace ImActors.Verifier.Workloads;

/// <summary>
/// One kind of traffic the verifier drives (1:1 messages today; group messages plug in the same way):
/// it sends through the run's clients, records every send and its ACK in the <see cref="Ledger"/>, and
/// afterwards reads back the conversations it wrote to and checks them with <see cref="ConversationAudit"/>.
/// </summary>
public interface IWorkload
{
    /// <summary>The name on the command line (<c>--workload NAME</c>) and in the summary.</summary>
    string Name { get; }

    /// <summary>Sends until <paramref name="stopSending"/>; sends in flight then finish until <paramref name="giveUp"/>.</summary>
    Task RunAsync(WorkloadContext context, CancellationToken stopSending, CancellationToken giveUp);

    /// <summary>After every client has stopped: reads each conversation from its start and checks it.</summary>
    Task AuditAsync(WorkloadContext context, AuditFindings findings, CancellationToken cancellationToken);
}
