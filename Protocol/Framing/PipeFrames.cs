using System.IO.Pipelines;

namespace ImActors.Protocol.Framing;

/// <summary>Whole frames read from a pipe, for the protocol's clients: the SDK's TCP transport and the benchmark generator.</summary>
public static class PipeFrames
{
    /// <summary>
    /// The next frame, decoded; null when the stream ended. A frame announced over <paramref name="maxFrameBytes"/>,
    /// or an empty one, throws <see cref="ProtocolViolationException"/>: the stream cannot be trusted after it.
    /// </summary>
    public static async ValueTask<Frame?> ReadFrameAsync(this PipeReader reader, int maxFrameBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = FrameReader.TryRead(ref buffer, maxFrameBytes, out var payload, out var length);
            if (status == FrameReadStatus.Frame)
            {
                try
                {
                    return FrameDecoder.Decode(payload);
                }
                finally
                {
                    // Consumed up to the end of this frame and examined no further: more whole frames may
                    // already be buffered, and the next read must return them without waiting for new bytes.
                    reader.AdvanceTo(buffer.Start);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            switch (status)
            {
                case FrameReadStatus.TooLarge:
                    throw new ProtocolViolationException(ErrorCodes.FrameTooLarge, $"the peer sent a frame of {length} bytes, over the maximum of {maxFrameBytes}");
                case FrameReadStatus.Empty:
                    throw new ProtocolViolationException(ErrorCodes.MalformedFrame, "the peer sent an empty frame");
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
