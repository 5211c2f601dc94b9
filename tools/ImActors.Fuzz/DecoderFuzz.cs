using System.Buffers;
using System.Diagnostics;
using ImActors.Fuzz.Inputs;
using ImActors.Protocol.Framing;
using MessagePack;

namespace ImActors.Fuzz;

/// <summary>
/// Runs inputs through the frame decoder in this process. The decoder's one documented failure is
/// <see cref="ProtocolViolationException"/> (an error frame on the wire); anything else it throws is a crash, and so is
/// a decoded frame the encoder cannot write back.
/// </summary>
public static class DecoderFuzz
{
    /// <summary>Crashes kept in the report, with their inputs; the count covers them all.</summary>
    private const int CrashesKept = 20;

    public static FuzzReport Run(int seed, long from, long count, TimeSpan? duration = null, Action<FuzzReport>? progress = null)
    {
        var inputs = new InputGenerator(seed);
        var report = new FuzzReport("decoder", seed, from);
        var clock = Stopwatch.StartNew();
        for (var i = from; i < from + count && (duration is null || clock.Elapsed < duration); i++)
        {
            var (strategy, payload) = inputs.Make(i);
            report.Ran();
            try
            {
                var frame = FrameDecoder.Decode(new ReadOnlySequence<byte>(payload));
                MessagePackSerializer.Serialize(frame.Body.GetType(), frame.Body, WireOptions.Instance);
                report.Count("decoded");
            }
            catch (ProtocolViolationException e)
            {
                report.Count($"refused {e.Code}");
            }
            catch (Exception e)
            {
                report.Crash(i, strategy.ToString(), payload, e, CrashesKept);
            }

            if ((i & 0x3FF) == 0)
            {
                report.SampleMemory();
                if ((i & 0x3FFFF) == 0 && i > from)
                {
                    progress?.Invoke(report);
                }
            }
        }

        report.SampleMemory();
        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }
}
