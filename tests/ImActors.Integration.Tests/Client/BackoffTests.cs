using ImActors.Protocol.Retry;

namespace ImActors.Integration.Tests.Client;

[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class BackoffTests
{
    [Fact]
    public void WithoutJitter_EachAttemptWaitsTwiceTheLast_UpToTheCap()
    {
        // The send loop's numbers: 100 ms after the first "try again", never more than 2 s.
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), jitter: false);

        var delays = Enumerable.Range(0, 8).Select(a => backoff.DelayFor(a).TotalMilliseconds);

        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000], delays);
    }

    [Fact]
    public void WithJitter_AWaitIsDrawnBetweenHalfTheFirstDelayAndTheCeilingAboveThat()
    {
        // The reconnect loop's defaults: 200 ms doubling up to 10 s.
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), jitter: true);

        for (var attempt = 0; attempt < 40; attempt++)
        {
            var ceiling = Math.Min(10_000, 200 * Math.Pow(2, attempt));
            for (var draw = 0; draw < 50; draw++)
            {
                var delay = backoff.DelayFor(attempt).TotalMilliseconds;
                Assert.InRange(delay, 100, ceiling + 100);
            }
        }
    }
}
