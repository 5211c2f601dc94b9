using System.Buffers;
using ImActors.Cluster.Tests.Infrastructure;
using ImActors.Verifier;
using ImActors.Verifier.Audit;
using MessagePack;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ImActors.Cluster.Tests;

/// <summary>
/// A store that loses an uncommitted tail in a crash and then gives those seqs to later messages ends up
/// gap-free: auditing the final store alone passes, while a device that saw the lost message at seq N skips the
/// new one at N as already seen. The verifier holds what its clients were shown against the store to catch it.
/// </summary>
[Trait("Tier", "Slow")]
[Collection(LocalClusterCollection.Name)]
public sealed class VerifierSeqReuseTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task Audit_NoticesASeqAClientWasShownNowHoldingAnotherMessage()
    {
        await cluster.RestoreAsync();
        var runId = "reuse" + Guid.NewGuid().ToString("N")[..6];
        var user = $"v{runId}-0";
        (long Seq, string Shown, string Stored)? reused = null;
        var options = new VerifierOptions
        {
            Log = new TestOutputWriter(output),
            Servers = await cluster.Script.EdgesAsync(),
            RunId = runId,
            Clients = 12,
            Rate = 5,
            // Group messages too: each is shown to every member and ACKed to its sender, which must not count,
            // so exactly the one seq changed below is reported.
            Workloads = ["direct", "group"],
            Duration = TimeSpan.FromSeconds(4),
            Drain = TimeSpan.FromSeconds(45),
            BeforeAudit = async _ =>
            {
                // Every client has stopped, and the user's client was shown its inbox's oldest entry (pushed to it,
                // or the ACK of its own send). Give that seq another message id behind the system's back.
                await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Script.RedisConnectionString);
                var store = redis.GetDatabase();
                // Nothing was trimmed in so short a run: the oldest entry is seq 1, one key of the inbox's log.
                var oldest = (RedisKey)$"im:{{{user}}}:m:1";
                var member = (byte[])(await store.StringGetAsync(oldest))!;
                Assert.NotNull(member);
                var replacement = Guid.CreateVersion7().ToString("N");
                var (shown, rewritten) = WithMessageId(member, replacement);
                Assert.True(await store.StringSetAsync(oldest, rewritten, when: When.Exists));
                reused = (1, shown, replacement);
            },
        };

        var summary = await VerificationRun.RunAsync(options);
        output.WriteLine(summary.ToJson());

        Assert.False(summary.Ok, summary.ToJson());
        Assert.Equal(1, summary.SeqReused);
        var (seq, shownId, storedId) = reused!.Value;
        Assert.Contains($"inbox:{user}: seq {seq} shown as {shownId}, stored as {storedId}", summary.Examples);
        // The store itself still looks whole.
        Assert.Equal(0, summary.Gaps);
        Assert.Equal(0, summary.Lost);
    }

    /// <summary>
    /// The stored member with another message id: a MessagePack array whose first element is the id
    /// (Grains/Inbox/LogEntry.cs), then the other fields and a 1:1 copy's "|peerSeq", left byte for byte.
    /// </summary>
    private static (string Previous, byte[] Member) WithMessageId(byte[] member, string messageId)
    {
        var reader = new MessagePackReader(member);
        var fields = reader.ReadArrayHeader();
        var previous = reader.ReadString()!;
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(fields);
        writer.Write(messageId);
        writer.Flush();
        return (previous, [.. buffer.WrittenSpan, .. member.AsSpan((int)reader.Consumed)]);
    }
}

/// <summary>The rules of the seq-reuse check on cases the cluster cannot be made to produce on demand; no cluster needed.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class VerifierSeqReuseRulesTests
{
    private const string Inbox = "inbox:u";

    [Fact]
    public void OneMessageShownByEveryDeviceAndItsAck_IsNoReuse()
    {
        var observed = new ObservedSeqs();
        observed.Record(Inbox, 1, "a");
        observed.Record(Inbox, 1, "a");
        observed.Record(Inbox, 2, "b");

        Assert.Equal(0, Audit(observed, (1, "a"), (2, "b")).SeqReused);
    }

    [Fact]
    public void TwoMessagesShownAtOneSeqDuringTheRun_AreAReuseEvenIfTheStoreLooksWhole()
    {
        var observed = new ObservedSeqs();
        observed.Record(Inbox, 1, "a");
        observed.Record(Inbox, 1, "b");

        var findings = Audit(observed, (1, "b"));

        Assert.Equal(1, findings.SeqReused);
        Assert.Contains($"{Inbox}: seq 1 shown as a, later as b", findings.Examples);
    }

    [Fact]
    public void ASeqShownButMissingWithinTheHeldRange_IsAReuse_ButNotBelowIt()
    {
        var observed = new ObservedSeqs();
        observed.Record(Inbox, 1, "a");
        observed.Record(Inbox, 3, "c");

        // Seq 1 is below the oldest entry held (trimmed); seq 3 lies between held entries and is gone.
        var findings = Audit(observed, (2, "b"), (4, "d"));

        Assert.Equal(1, findings.SeqReused);
        Assert.Contains($"{Inbox}: seq 3 shown as c, nothing stored there (seqs 2..4 held)", findings.Examples);
    }

    /// <summary>The other checks' findings are not looked at: these stores hold nothing any send explains.</summary>
    private static AuditFindings Audit(ObservedSeqs observed, params (long Seq, string Id)[] stored)
    {
        var findings = new AuditFindings();
        var entries = stored.Select(e => new StoredEntry(e.Seq, e.Id, ClientMessageId: null)).ToList();
        ConversationAudit.Check(Inbox, entries, stored.Max(e => e.Seq), [], observed.Of(Inbox), findings);
        return findings;
    }
}
