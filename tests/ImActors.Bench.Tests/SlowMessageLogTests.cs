using System.Diagnostics;
using System.Globalization;
using ImActors.Bench.Measurement;

namespace ImActors.Bench.Tests;

/// <summary>The log of slow messages that lays a run's stalls over a server trace taken at the same time.</summary>
public sealed class SlowMessageLogTests
{
    [Fact]
    public void OnlyMessagesAtOrAboveTheBound_AreWritten_WithTheirScheduledTimeOnTheMonotonicClock()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slow-{Guid.NewGuid():N}.log");
        try
        {
            var log = SlowMessageLog.Open(path, boundMs: 5);
            var recorder = new LatencyRecorder("ack", log);
            var now = Stopwatch.GetTimestamp();
            recorder.Record(now - Stopwatch.Frequency / 1000); // 1 ms late: under the bound
            recorder.Record(now - Stopwatch.Frequency / 50); // 20 ms late
            log.Flush();

            var line = Assert.Single(File.ReadAllLines(path));
            var fields = line.Split(' ');
            Assert.Equal("ack", fields[0]);
            var scheduled = double.Parse(fields[1], CultureInfo.InvariantCulture);
            Assert.InRange(scheduled, (now - Stopwatch.Frequency / 50) / (double)Stopwatch.Frequency - 0.001,
                (now - Stopwatch.Frequency / 50) / (double)Stopwatch.Frequency + 0.001);
            Assert.InRange(double.Parse(fields[2], CultureInfo.InvariantCulture), 20, 1000);
            Assert.Equal(2, recorder.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
