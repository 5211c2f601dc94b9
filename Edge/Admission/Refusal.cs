using System.IO.Pipelines;
using ImActors.Protocol;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;
using Microsoft.AspNetCore.Connections;

namespace ImActors.Edge.Admission;

/// <summary>A connection refused before the protocol starts: one retryable error frame, then the close.</summary>
public static class Refusal
{
    public static async Task WriteAsync(PipeWriter output, int code, string reason, TimeSpan retryAfter)
    {
        var frame = FrameEncoder.Encode(FrameKind.Error, new ErrorFrame
        {
            Code = code, Name = ErrorCodes.NameOf(code), Reason = reason,
            Retryable = true, RetryAfterMs = (int)retryAfter.TotalMilliseconds,
        });
        try
        {
            await output.WriteAsync(frame);
            await output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
        {
            // Gone already: the refusal had no one to read it.
        }
    }
}
