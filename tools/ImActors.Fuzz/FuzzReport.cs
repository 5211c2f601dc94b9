using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImActors.Fuzz;

/// <summary>What a fuzz run did: printed as one JSON line, so a run can be recorded and compared.</summary>
public sealed class FuzzReport(string mode, int seed, long from)
{
    public sealed record CrashInput(long Index, string Strategy, string Exception, string Message, string InputHex);

    public string Mode { get; } = mode;
    public int Seed { get; } = seed;
    public long From { get; } = from;
    private long _inputs;

    public long Inputs => Interlocked.Read(ref _inputs);
    public long Crashes { get; private set; }

    /// <summary>Outcomes by name: "decoded", "refused 400", and in live mode the frames the edge answered with.</summary>
    public SortedDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

    public List<CrashInput> CrashInputs { get; } = [];

    /// <summary>The most managed memory seen in use (sampled every 1024 inputs), in MiB.</summary>
    public double PeakManagedMiB { get; private set; }

    public double Seconds { get; set; }

    /// <summary>Live mode: whether the edge still welcomed a new connection at the end, and its neighbour's answers.</summary>
    public bool? EdgeUp { get; set; }
    public long? NeighbourAnswers { get; set; }
    public long? NeighbourMissed { get; set; }
    public double? NeighbourMaxMs { get; set; }

    /// <summary>One more input run (written to the edge, in live mode).</summary>
    public void Ran() => Interlocked.Increment(ref _inputs);

    /// <summary>Live mode's verdict: the edge still welcomes connections and its neighbour was answered every time.</summary>
    public bool Passed => Crashes == 0 && EdgeUp != false && NeighbourMissed is null or 0;

    public void Count(string outcome)
    {
        lock (Outcomes)
        {
            Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        }
    }

    public void Crash(long index, string strategy, byte[] input, Exception e, int kept)
    {
        lock (CrashInputs)
        {
            Crashes++;
            if (CrashInputs.Count < kept)
            {
                CrashInputs.Add(new CrashInput(index, strategy, e.GetType().FullName!, e.Message, Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 512)))));
            }
        }
    }

    public void SampleMemory() => PeakManagedMiB = Math.Max(PeakManagedMiB, Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
