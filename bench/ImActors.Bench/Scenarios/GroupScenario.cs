using ImActors.Bench.Cli;
using ImActors.Bench.Load;
using ImActors.Bench.Report;
using ImActors.Bench.Servers;
using ImActors.Bench.Targets;

namespace ImActors.Bench.Scenarios;

/// <summary>
/// <c>group</c>: G groups of M members, all online and spread over the edges; the first S members of each
/// group send, R group messages/s in all. Every message is delivered to the M - 1 other members.
/// </summary>
public sealed class GroupScenario(GroupOptions options) : Scenario
{
    public override string Name => "group";

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target.GroupsMissingReason is { } missing)
        {
            throw new BenchUsageException($"group scenario against {target.Name}: {missing}");
        }

        var counters = new LoadCounters();
        var users = RunIds.Users("m", options.Groups * options.Members);
        await using var members = await ConnectionSet.OpenAsync(target, users, null, counters, 32, requireAll: true, cancellationToken);
        var groupIds = Enumerable.Range(0, options.Groups).Select(g => $"{RunIds.Prefix}-g{g}").ToList();
        for (var g = 0; g < options.Groups; g++)
        {
            var memberIds = users.GetRange(g * options.Members, options.Members);
            // The creator first (ImActors creates the group with its members), then everyone else (SignalR joins).
            await members.Connections[g * options.Members].JoinGroupAsync(groupIds[g], memberIds, creator: true, cancellationToken);
            await Parallel.ForEachAsync(Enumerable.Range(1, options.Members - 1), cancellationToken, async (m, ct) =>
                await members.Connections[g * options.Members + m].JoinGroupAsync(groupIds[g], memberIds, creator: false, ct));
        }

        var step = await LoadStep.RunAsync(options.Rate, options.Duration, options.Warmup, options.Size, options.Members - 1, (index, body) =>
        {
            // Send k: group k mod G, from its sender (k / G) mod S.
            var g = (int)(index % options.Groups);
            var s = (int)(index / options.Groups % options.Senders);
            members.Connections[g * options.Members + s].SendGroup(groupIds[g], body);
        }, counters, servers.Processes, cancellationToken, options.Alloc);

        report.Add("groups", options.Groups);
        report.Add("members", options.Members);
        report.Add("senders_per_group", options.Senders);
        report.Add("size_bytes", options.Size, "B");
        LoadStep.Report(report, step, "delivery");
    }
}
