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
public sealed class GroupScenario : Scenario
{
    private int _groups;
    private int _members;
    private int _senders;
    private double _rate;
    private TimeSpan _duration;
    private TimeSpan _warmup;
    private int _size;
    private bool _alloc;

    public override string Name => "group";

    public override void ReadOptions(BenchArguments args)
    {
        _groups = args.Int("groups", 10);
        _members = args.Int("members", 100, 2, 100_000);
        _senders = args.Int("senders", 1, 1, 100_000);
        _rate = args.Double("rate", 100, 1, 1_000_000);
        _duration = TimeSpan.FromSeconds(args.Double("duration", 10, 0.5, 3600));
        _warmup = TimeSpan.FromSeconds(args.Double("warmup", SteadyStateWarmupSeconds, 0, 600));
        _size = args.Int("size", 100, MessageStamp.MinSize, 60_000);
        _alloc = args.Has("alloc");
        if (_senders > _members)
        {
            throw new BenchUsageException("--senders is per group and cannot exceed --members");
        }
    }

    public override async Task RunAsync(IBenchTarget target, ServerSide servers, BenchReport report, CancellationToken cancellationToken)
    {
        if (target.GroupsMissingReason is { } missing)
        {
            throw new BenchUsageException($"group scenario against {target.Name}: {missing}");
        }

        var counters = new LoadCounters();
        var users = RunIds.Users("m", _groups * _members);
        await using var members = await ConnectionSet.OpenAsync(target, users, null, counters, 32, requireAll: true, cancellationToken);
        var groupIds = Enumerable.Range(0, _groups).Select(g => $"{RunIds.Prefix}-g{g}").ToList();
        for (var g = 0; g < _groups; g++)
        {
            var memberIds = users.GetRange(g * _members, _members);
            // The creator first (ImActors creates the group with its members), then everyone else (SignalR joins).
            await members.Connections[g * _members].JoinGroupAsync(groupIds[g], memberIds, creator: true, cancellationToken);
            await Parallel.ForEachAsync(Enumerable.Range(1, _members - 1), cancellationToken, async (m, ct) =>
                await members.Connections[g * _members + m].JoinGroupAsync(groupIds[g], memberIds, creator: false, ct));
        }

        var step = await LoadStep.RunAsync(_rate, _duration, _warmup, _size, _members - 1, (index, body) =>
        {
            // Send k: group k mod G, from its sender (k / G) mod S.
            var g = (int)(index % _groups);
            var s = (int)(index / _groups % _senders);
            members.Connections[g * _members + s].SendGroup(groupIds[g], body);
        }, counters, servers.Processes, cancellationToken, _alloc);

        report.Add("groups", _groups);
        report.Add("members", _members);
        report.Add("senders_per_group", _senders);
        report.Add("size_bytes", _size, "B");
        LoadStep.Report(report, step, "delivery");
    }
}
