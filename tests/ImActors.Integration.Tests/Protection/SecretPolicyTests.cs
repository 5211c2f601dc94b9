using ImActors.Edge.Hosting;
using ImActors.Protocol;
using Microsoft.Extensions.Configuration;

namespace ImActors.Integration.Tests.Protection;

/// <summary>An edge (and so a single node, which builds its edge the same way) will not start on a secret anyone can read.</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class SecretPolicyTests
{
    [Fact]
    public void NoSecret_RefusesToStart_NamingTheSettingsThatFixIt()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build([]));

        Assert.Contains("Auth:Secret", refused.Message);
        Assert.Contains("Auth:Development", refused.Message);
    }

    [Fact]
    public void TheDevelopmentSecretConfiguredAsTheSecret_RefusesToStart() =>
        Assert.Contains("public development secret",
            Assert.Throws<InvalidOperationException>(() => Build(new() { ["Auth:Secret"] = ProtocolDefaults.DevelopmentTokenSecret })).Message);

    [Fact]
    public void ASecretTooShortForHs256_RefusesToStart() =>
        Assert.Contains("shorter than 32 bytes",
            Assert.Throws<InvalidOperationException>(() => Build(new() { ["Auth:Keys:2026-01"] = "short" })).Message);

    [Fact]
    public async Task ExplicitDevelopmentMode_OrASecretOfItsOwn_Starts()
    {
        await using var development = Build(new() { ["Auth:Development"] = "true" });
        await using var ownSecret = Build(new() { ["Auth:Secret"] = "a-secret-of-our-own-0123456789abcdef" });
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> settings) =>
        EdgeHost.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
}
