using ImActors.Client;
using ImActors.Verifier.Audit;

namespace ImActors.Verifier.Workloads;

/// <summary>A simulated user: its id and its one long-lived connection (device "load").</summary>
public sealed record SimulatedUser(int Index, string Id, ImClient Client);

/// <summary>What a workload works with: the options, the users and their clients, the ledger, what the clients were shown.</summary>
public sealed class WorkloadContext(VerifierOptions options, IReadOnlyList<SimulatedUser> users, Ledger ledger, ObservedSeqs observed)
{
    public VerifierOptions Options { get; } = options;

    public IReadOnlyList<SimulatedUser> Users { get; } = users;

    public Ledger Ledger { get; } = ledger;

    /// <summary>Every (conversation, seq) -> message id the run's clients were shown: pushes, synced history, ACKs.</summary>
    public ObservedSeqs Observed { get; } = observed;

    /// <summary>Body prefix of every message the verifier sends; the rest is the client message id.</summary>
    public const string BodyPrefix = "verify:";

    public static string? ClientMessageIdOf(string? text) =>
        text is not null && text.StartsWith(BodyPrefix, StringComparison.Ordinal) ? text[BodyPrefix.Length..] : null;

    /// <summary>
    /// An SDK client for <paramref name="user"/>. Clients start at different edges (by <paramref name="index"/>)
    /// so the load is spread, and fail over to the others in turn.
    /// </summary>
    public ImClient NewClient(string user, int index, string device, long? resumeAfterSeq, IReadOnlyDictionary<string, long>? resumeGroups = null)
    {
        var servers = Options.Servers;
        var rotated = servers.Skip(index % servers.Count).Concat(servers.Take(index % servers.Count)).ToList();
        return new ImClient(new ImClientOptions
        {
            Servers = rotated,
            TokenProvider = _ => ValueTask.FromResult(TokenIssuer.Issue(user, Options.Secret, TimeSpan.FromHours(2))),
            Device = device,
            Platform = "verifier",
            ResumeAfterSeq = resumeAfterSeq,
            ResumeGroups = resumeGroups,
            AckTimeout = Options.AckTimeout,
            // The verifier decides when to give up (Duration + Drain), not the SDK.
            SendDeadline = Options.Duration + Options.Drain + TimeSpan.FromMinutes(1),
            ReconnectDelayMax = Options.ReconnectDelayMax,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
    }
}
