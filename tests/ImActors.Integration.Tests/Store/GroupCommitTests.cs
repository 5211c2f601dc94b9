using System.Diagnostics;
using System.Text;
using ImActors.Grains.Inbox;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>The group commit in front of the embedded store: nobody is answered before their write is committed.</summary>
/// <remarks>
/// Timing tests, run alone: one of them floods the thread pool on purpose, and another test's flood (or a cluster
/// test's start) would starve the 1 ms delays these count on.
/// </remarks>
[Collection(TimingCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class GroupCommitTests
{
    [Fact]
    public async Task CallersArrivingDuringACommit_WaitForTheNextOne_AndShareIt()
    {
        var commits = new List<TaskCompletionSource>();
        var commit = new GroupCommit(_ =>
        {
            var round = new TaskCompletionSource();
            lock (commits) { commits.Add(round); }
            return round.Task;
        }, TimeSpan.FromSeconds(30));

        var first = commit.WaitAsync();
        await Eventually.TrueAsync(() => commits.Count == 1);
        var later = Enumerable.Range(0, 10).Select(_ => commit.WaitAsync()).ToList();
        Assert.Single(commits);

        // The first commit may have started before the later callers' writes: it must not release them.
        commits[0].SetResult();
        await first;
        await Eventually.TrueAsync(() => commits.Count == 2);
        Assert.All(later, t => Assert.False(t.IsCompleted));

        commits[1].SetResult();
        await Task.WhenAll(later);
        Assert.Equal(2, commits.Count);
    }

    [Fact]
    public async Task UnderSustainedLoad_CommitsStartAtMostOncePerInterval()
    {
        var commits = 0;
        var commit = new GroupCommit(_ => { Interlocked.Increment(ref commits); return Task.CompletedTask; },
            TimeSpan.FromSeconds(30), minInterval: TimeSpan.FromMilliseconds(20));

        var waits = new List<Task>();
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromMilliseconds(300))
        {
            waits.Add(commit.WaitAsync());
            await Task.Delay(1);
        }

        await Task.WhenAll(waits);
        var elapsed = DateTime.UtcNow - started;
        Assert.InRange(commits, 2, (int)(elapsed / TimeSpan.FromMilliseconds(20)) + 2);
        Assert.True(waits.Count > commits * 3, $"{waits.Count} waits shared only {commits} commits");
    }

    [Fact]
    public async Task WhileTheThreadPoolIsSaturated_CommitsKeepTheirInterval()
    {
        var starts = new List<long>();
        var commit = new GroupCommit(_ => { lock (starts) { starts.Add(Environment.TickCount64); } return Task.CompletedTask; },
            TimeSpan.FromSeconds(30), minInterval: TimeSpan.FromMilliseconds(1));

        // A node under load: the pool's queue is full of work (grains, sockets) for a while. The deadline is a
        // clock read, not a timer: a timer's callback would itself wait behind the flood.
        var flood = Stopwatch.StartNew();
        var floodFor = TimeSpan.FromMilliseconds(1500);
        for (var i = 0; i < 64; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => { while (flood.Elapsed < floodFor) { Thread.SpinWait(1000); } }, null);
        }

        // Writers not on the pool ask for commits every millisecond or so.
        var writer = new Thread(() =>
        {
            while (flood.Elapsed < floodFor)
            {
                _ = commit.WaitAsync();
                Thread.Sleep(1);
            }
        });
        writer.Start();
        writer.Join();

        long[] times;
        lock (starts) { times = starts.ToArray(); }
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.True(times.Length > 100, $"only {times.Length} commits in 1.5 s");
        // A pool timer's continuation waits behind the flood: its commits stall for as long as the flood lasts (1.5 s).
        // The bound sits well under that but well over what a busy machine's scheduler costs the commit thread
        // (100-180 ms seen with other processes on both cores), so only the defect fails it.
        Assert.True(gaps.Max() < 500, $"commits stalled for {gaps.Max()} ms");
    }

    [Fact]
    public async Task FailedCommit_FailsItsCallersWithARetryableError_AndTheNextCommitStillRuns()
    {
        var calls = 0;
        var commit = new GroupCommit(_ => ++calls == 1 ? Task.FromException(new IOException("disk full")) : Task.CompletedTask,
            TimeSpan.FromSeconds(30));

        var failed = await Assert.ThrowsAsync<StoreUnavailableException>(commit.WaitAsync);
        Assert.Contains("disk full", failed.Message);
        await commit.WaitAsync();
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task CommitThatHangs_FailsItsCallersWithinTheTimeout()
    {
        var commit = new GroupCommit(_ => new TaskCompletionSource().Task, TimeSpan.FromMilliseconds(200));

        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<StoreUnavailableException>(commit.WaitAsync);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WithABackgroundInterval_ItCommitsWithoutBeingAsked_FromTheStart()
    {
        var commits = 0;
        var commit = new GroupCommit(_ => { Interlocked.Increment(ref commits); return Task.CompletedTask; },
            TimeSpan.FromSeconds(30), backgroundInterval: TimeSpan.FromMilliseconds(20)).StartBackground();

        await Eventually.TrueAsync(() => commits >= 4);
    }

    [Fact]
    public async Task WithABackgroundInterval_ItSkipsRoundsWhileNothingWasWritten_AndCommitsOnceSomethingWas()
    {
        var commits = 0;
        var checks = 0;
        var written = false;
        var commit = new GroupCommit(
            _ =>
            {
                Interlocked.Increment(ref commits);
                Volatile.Write(ref written, false);
                return Task.CompletedTask;
            },
            TimeSpan.FromSeconds(30), backgroundInterval: TimeSpan.FromMilliseconds(10),
            anythingToCommit: () =>
            {
                Interlocked.Increment(ref checks);
                return Volatile.Read(ref written);
            }).StartBackground();

        await Eventually.TrueAsync(() => Volatile.Read(ref checks) >= 5);
        Assert.Equal(0, Volatile.Read(ref commits));

        Volatile.Write(ref written, true);
        await Eventually.TrueAsync(() => Volatile.Read(ref commits) == 1);

        // A caller is never skipped: it waits for a write of its own that the check may not have seen yet.
        await commit.WaitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Volatile.Read(ref commits));
    }

    [Fact]
    public async Task ManyConcurrentSends_OnTheEmbeddedStore_ShareFewCommits()
    {
        await using var store = new EmbeddedStore();
        await store.StartAsync();
        using var mux = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        var commits = 0;
        var log = new InboxLog(store.Connect(mux, () => Interlocked.Increment(ref commits)),
            Options.Create(new InboxOptions()));

        const int sends = 400;
        var started = DateTime.UtcNow;
        var acks = await Task.WhenAll(Enumerable.Range(0, sends).Select(i => log.AppendDirectAsync(
            new SendRequest($"u{i % 40}", "device", $"c{i}", $"v{i % 7}", "text/plain", Encoding.UTF8.GetBytes("x")), $"id{i}", 1000 + i)));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(sends, acks.Select(a => a.MessageId).Distinct().Count());
        // Every send waited for a commit, but they shared them: at most one commit per millisecond (the interval).
        Assert.InRange(commits, 1, Math.Min(sends / 2, (int)elapsed.TotalMilliseconds + 2));
    }
}
