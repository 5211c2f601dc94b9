using ImActors.Grains.Interfaces.Users;
using ImActors.Grains.Users;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Users;

/// <summary>Who is signed out when a device signs in, decided alone: no cluster, sessions made up.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class DevicePolicyTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddDays(20_000);
    private readonly DevicePolicy _defaults = new(new DeviceOptions());

    [Fact]
    public void A_SecondPhone_SignsOutTheFirst_NamingTheRule()
    {
        var iphone = Session("iphone", "ios", 0);

        var evicted = Assert.Single(_defaults.Evictions([iphone], Session("pixel", "android", 1)));

        Assert.Equal(iphone, evicted.Session);
        Assert.Equal(ErrorCodes.Kicked, evicted.Code);
        Assert.Contains("at most 1 mobile device", evicted.Reason);
        Assert.Contains("pixel", evicted.Reason);
    }

    [Fact]
    public void OneDeviceOfEachClass_LivesSideBySide()
    {
        var live = new[] { Session("phone", "ios", 0), Session("laptop", "macos", 1), Session("tab", "web", 2) };

        Assert.Empty(_defaults.Evictions(live, Session("tab2", "web", 3)));
    }

    [Fact]
    public void TheOldestOfTheClass_Goes_NotTheOldestOverall()
    {
        var phone = Session("phone", "ios", 0);
        var webs = Enumerable.Range(1, 5).Select(i => Session($"tab{i}", "web", i)).ToList();

        var evicted = Assert.Single(_defaults.Evictions([phone, .. webs], Session("tab6", "Web", 10)));

        Assert.Equal("tab1", evicted.Session.Device);
        Assert.Contains("at most 5 web devices", evicted.Reason);
    }

    [Fact]
    public void ThePerUserCap_SignsOutTheOldestOfAnyClass()
    {
        var policy = new DevicePolicy(new DeviceOptions { MaxPerUser = 3 });
        var live = new[] { Session("b", "cli", 5), Session("a", "ios", 1), Session("c", "", 7) };

        var evicted = Assert.Single(policy.Evictions(live, Session("d", "kiosk", 9)));

        Assert.Equal("a", evicted.Session.Device);
        Assert.Contains("at most 3 devices per user", evicted.Reason);
    }

    [Fact]
    public void PlatformsOfNoClass_CountOnlyTowardsTheCap()
    {
        var live = new[] { Session("a", "dotnet", 0), Session("b", "dotnet", 1) };

        Assert.Null(_defaults.ClassOf("dotnet"));
        Assert.Empty(_defaults.Evictions(live, Session("c", "dotnet", 2)));
    }

    [Fact]
    public void TheSameDevice_IsNeverEvictedByThePolicy_ItsReplacementIsAnotherRule()
    {
        var policy = new DevicePolicy(new DeviceOptions { MaxPerUser = 1 });

        Assert.Empty(policy.Evictions([Session("phone", "ios", 0)], Session("phone", "ios", 1)));
    }

    [Fact]
    public void ConfiguredClasses_ReplaceTheDefaults()
    {
        var policy = new DevicePolicy(new DeviceOptions
        {
            Classes = new() { ["tablet"] = new DeviceClass { Platforms = ["ipados", "android-tablet"], Max = 2 } },
        });

        Assert.Equal("tablet", policy.ClassOf("IPadOS"));
        Assert.Null(policy.ClassOf("ios"));
        Assert.Empty(policy.Evictions([Session("p1", "ios", 0)], Session("p2", "ios", 1)));
    }

    [Fact]
    public void BothRules_CanEvict_OnOneSignIn()
    {
        var policy = new DevicePolicy(new DeviceOptions { MaxPerUser = 2 });
        var live = new[] { Session("other", "cli", 0), Session("phone", "ios", 1) };

        var evicted = policy.Evictions(live, Session("pixel", "android", 2));

        // The phone goes by the class rule; then two remain (other, pixel), within the cap.
        Assert.Equal(["phone"], evicted.Select(e => e.Session.Device));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ALimitBelowOne_IsRefusedWithTheKeyItCameFrom(int max)
    {
        Assert.Contains("Devices:MaxPerUser", DeviceOptions.Validate(new DeviceOptions { MaxPerUser = max }));
        Assert.Contains("Devices:Classes:web:Max", DeviceOptions.Validate(new DeviceOptions
        {
            Classes = new() { ["web"] = new DeviceClass { Platforms = ["web"], Max = max } },
        }));
        Assert.Null(DeviceOptions.Validate(new DeviceOptions()));
    }

    [Fact]
    public void APlatformInTwoClasses_IsRefused()
    {
        Assert.Contains("two device classes, a and b", DeviceOptions.Validate(new DeviceOptions
        {
            Classes = new()
            {
                ["a"] = new DeviceClass { Platforms = ["ios"], Max = 1 },
                ["b"] = new DeviceClass { Platforms = ["IOS"], Max = 1 },
            },
        }));
    }

    [Fact]
    public void TheGrainsClosingCodes_AreTheProtocols()
    {
        Assert.Equal(ErrorCodes.Kicked, Eviction.KickedCode);
        Assert.Equal(ErrorCodes.Banned, Eviction.BannedCode);
    }

    private static SessionInfo Session(string device, string platform, int secondsAfterStart) =>
        new(device, platform, "edge-1", Guid.Empty, secondsAfterStart, T0.AddSeconds(secondsAfterStart));
}
