using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using ImActors.Edge.Connections;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol.Framing;

namespace ImActors.Integration.Tests.Edge;

/// <summary>
/// The send queue alone, on an in-memory pipe: frames pushed from many threads at once (as grain pushes and replies
/// are), written by one drain at a time, to a reader that keeps up, falls behind, or goes away.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class OutboundQueueTests
{
    private const int Writers = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ManyWriters_EveryFrameArrivesExactlyOnce_InEachWritersOrder()
    {
        const int perWriter = 5_000;
        var pipe = SlowPipe();
        var queue = new OutboundQueue(pipe.Writer, limit: 1024);
        var reading = ReadAllAsync(pipe.Reader);

        await RunWritersAsync(writer =>
        {
            for (var seq = 0; seq < perWriter; seq++)
            {
                // A full queue is the caller's to handle; here the writer waits for room.
                while (!queue.TryEnqueue(Frame(writer, seq)))
                {
                    Thread.Yield();
                }
            }
        });
        await queue.CompleteAndDrainAsync().WaitAsync(Timeout);
        await pipe.Writer.CompleteAsync();

        var expected = Enumerable.Range(0, Writers).ToDictionary(w => w, _ => Enumerable.Range(0, perWriter).ToList());
        AssertArrivedInOrder(expected, await reading.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReaderFallsBehind_FramesOverTheLimitAreRefused_AndEveryAcceptedOneArrivesOnce()
    {
        const int perWriter = 500;
        var pipe = SlowPipe();
        var queue = new OutboundQueue(pipe.Writer, limit: 16);
        var accepted = NewAccepted();

        // Nobody reads yet: the pipe fills, the drain waits on its flush, and the queue fills behind it.
        await RunWritersAsync(writer =>
        {
            for (var seq = 0; seq < perWriter; seq++)
            {
                if (queue.TryEnqueue(Frame(writer, seq)))
                {
                    accepted[writer].Add(seq);
                }
            }
        });
        var reading = ReadAllAsync(pipe.Reader);
        await queue.CompleteAndDrainAsync().WaitAsync(Timeout);
        await pipe.Writer.CompleteAsync();

        Assert.True(accepted.Values.Sum(a => a.Count) < Writers * perWriter, "a reader that does not read must make the queue refuse frames");
        AssertArrivedInOrder(accepted, await reading.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ClosedWhileWriting_AcceptsNothingAfter_AndWritesEveryFrameAcceptedBefore()
    {
        var pipe = SlowPipe();
        var queue = new OutboundQueue(pipe.Writer, limit: 64);
        var reading = ReadAllAsync(pipe.Reader);
        var accepted = NewAccepted();
        var acceptedAfterClose = 0;
        var closed = false;

        var writing = RunWritersAsync(writer =>
        {
            for (var seq = 0; ; seq++)
            {
                var wasClosed = Volatile.Read(ref closed);
                if (queue.TryEnqueue(Frame(writer, seq)))
                {
                    accepted[writer].Add(seq);
                    if (wasClosed)
                    {
                        Interlocked.Increment(ref acceptedAfterClose);
                    }
                }
                else if (wasClosed)
                {
                    return;
                }
            }
        });
        await Eventually.TrueAsync(() => accepted.Values.All(a => a.Count > 100));
        queue.Complete();
        Volatile.Write(ref closed, true);
        await writing;
        await queue.CompleteAndDrainAsync().WaitAsync(Timeout);
        await pipe.Writer.CompleteAsync();

        Assert.Equal(0, acceptedAfterClose);
        Assert.False(queue.TryEnqueue(Frame(0, -1)));
        AssertArrivedInOrder(accepted, await reading.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReaderGoneWhileWriting_TheDrainStops_AndTheQueueRefusesFrames()
    {
        var pipe = SlowPipe();
        var queue = new OutboundQueue(pipe.Writer, limit: 1024);
        await pipe.Reader.CompleteAsync();

        // The first frame starts a drain, which finds the pipe's reader gone and closes the queue behind it.
        var refused = false;
        for (var seq = 0; seq < 100_000 && !refused; seq++)
        {
            refused = !queue.TryEnqueue(Frame(0, seq));
            await Task.Yield();
        }

        Assert.True(refused, "a queue whose reader is gone must stop accepting frames");
        await queue.CompleteAndDrainAsync().WaitAsync(Timeout);
    }

    [Fact]
    public void IdleQueue_IsDrainedAtOnce()
    {
        var queue = new OutboundQueue(new Pipe().Writer, limit: 16);

        Assert.True(queue.CompleteAndDrainAsync().IsCompleted);
        Assert.False(queue.TryEnqueue(Frame(0, 0)));
    }

    // Small thresholds: flushes wait for the reader often, so the drain keeps switching to its asynchronous path.
    private static Pipe SlowPipe() =>
        new(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512, useSynchronizationContext: false));

    private static Dictionary<int, List<int>> NewAccepted() => Enumerable.Range(0, Writers).ToDictionary(w => w, _ => new List<int>());

    /// <summary>A frame as the queue sees one: a length prefix, then the writer and its own sequence number.</summary>
    private static byte[] Frame(int writer, int seq)
    {
        var frame = new byte[FrameReader.PrefixLength + 8];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 8);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), writer);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), seq);
        return frame;
    }

    /// <summary>Runs one body per writer, each on its own thread, all released at once.</summary>
    private static async Task RunWritersAsync(Action<int> body)
    {
        using var start = new Barrier(Writers);
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            body(writer);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(writers).WaitAsync(Timeout);
    }

    private static async Task<List<(int Writer, int Seq)>> ReadAllAsync(PipeReader reader)
    {
        var frames = new List<(int, int)>();
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (FrameReader.TryRead(ref buffer, 64, out var payload, out _) == FrameReadStatus.Frame)
            {
                frames.Add(Parse(payload));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.Equal(0L, buffer.Length);
                await reader.CompleteAsync();
                return frames;
            }
        }
    }

    private static (int Writer, int Seq) Parse(ReadOnlySequence<byte> payload)
    {
        Span<byte> body = stackalloc byte[8];
        payload.CopyTo(body);
        return (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body[4..]));
    }

    private static void AssertArrivedInOrder(Dictionary<int, List<int>> expected, List<(int Writer, int Seq)> received)
    {
        Assert.Equal(expected.Values.Sum(e => e.Count), received.Count);
        foreach (var (writer, sent) in expected)
        {
            Assert.Equal(sent, received.Where(f => f.Writer == writer).Select(f => f.Seq).ToList());
        }
    }
}
