using ImActors.Fuzz;
using ImActors.Fuzz.Inputs;

namespace ImActors.Protocol.Tests;

/// <summary>
/// A short run of the decoder fuzzer (decision 113) with a fixed seed: every input is refused with the protocol's own
/// error or decoded, never anything else. The long runs are recorded in docs/fuzzing.md.
/// </summary>
public sealed class DecoderFuzzTests
{
    [Fact]
    public void TwentyThousandInputs_OfAFixedSeed_CrashNothing()
    {
        var report = DecoderFuzz.Run(seed: 113, from: 0, count: 20_000);

        Assert.True(report.Crashes == 0, report.ToJson());
        Assert.Equal(20_000, report.Inputs);
        // The inputs reach past the envelope: some decode, and refusals come with the codes a client would see.
        Assert.True(report.Outcomes.GetValueOrDefault("decoded") > 1000, report.ToJson());
        Assert.True(report.Outcomes.GetValueOrDefault("refused 400") > 1000, report.ToJson());
    }

    [Fact]
    public void AnInput_IsMadeAgain_FromItsSeedAndIndexAlone()
    {
        var (first, again) = (new InputGenerator(7).Make(12_345), new InputGenerator(7).Make(12_345));

        Assert.Equal(first.Strategy, again.Strategy);
        Assert.Equal(first.Payload, again.Payload);
        Assert.NotEqual(first.Payload, new InputGenerator(8).Make(12_345).Payload);
    }

    [Fact]
    public void EveryStrategy_IsUsed()
    {
        var inputs = new InputGenerator(1);
        var used = Enumerable.Range(0, 2000).Select(i => inputs.Make(i).Strategy).ToHashSet();

        Assert.Equal(Enum.GetValues<InputGenerator.Strategy>().ToHashSet(), used);
    }
}
