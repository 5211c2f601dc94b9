using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace ImActors.Edge.Connections;

/// <summary>
/// The bounded queue of encoded frames waiting to be written to one connection, and the loop that
/// writes them. Frames are written back to back and flushed once per batch, so a burst of pushes costs
/// one socket write, not one per frame.
/// </summary>
internal sealed class OutboundQueue(int limit)
{
    // Flush at least this often inside a batch so a long queue does not pile up in the pipe unflushed.
    private const int FlushThreshold = 64 * 1024;

    private readonly Channel<ReadOnlyMemory<byte>> _frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(limit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>False when the queue is full (or closed): the caller decides what that means.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame) => _frames.Writer.TryWrite(frame);

    /// <summary>No more frames: the write loop ends once the queued ones are written.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    public async Task WriteAllAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var reader = _frames.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var unflushed = 0;
            while (reader.TryRead(out var frame))
            {
                output.Write(frame.Span);
                unflushed += frame.Length;
                if (unflushed >= FlushThreshold)
                {
                    if ((await output.FlushAsync(cancellationToken)).IsCompleted)
                    {
                        return;
                    }

                    unflushed = 0;
                }
            }

            if ((await output.FlushAsync(cancellationToken)).IsCompleted)
            {
                return;
            }
        }
    }
}
