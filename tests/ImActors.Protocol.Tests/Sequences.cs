using System.Buffers;

namespace ImActors.Protocol.Tests;

/// <summary>Builds <see cref="ReadOnlySequence{T}"/>s the way a pipe hands them over: in several segments.</summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Single(byte[] bytes) => new(bytes);

    /// <summary>Cuts <paramref name="bytes"/> into segments of the given sizes, cycling through them.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] bytes, params int[] sizes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var offset = 0;
        var size = 0;
        Segment? first = null;
        Segment? last = null;
        while (offset < bytes.Length)
        {
            var length = Math.Min(sizes[size++ % sizes.Length], bytes.Length - offset);
            // Each segment gets its own array, as separate network reads would.
            var memory = bytes.AsSpan(offset, length).ToArray();
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
            offset += length;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
