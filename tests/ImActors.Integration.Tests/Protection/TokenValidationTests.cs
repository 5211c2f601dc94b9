using ImActors.Edge.Auth;
using ImActors.Edge.Hosting;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImActors.Integration.Tests.Protection;

/// <summary>The edge's token checks, claim by claim, on the validator the edge runs (no cluster needed: it calls none).</summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class TokenValidationTests
{
    private const string KeyA = "key-a-0123456789abcdef0123456789abcdef";
    private const string KeyB = "key-b-0123456789abcdef0123456789abcdef";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private DateTimeOffset Now => _time.GetUtcNow();

    private TokenValidator Validator(AuthSettings? settings = null) =>
        new(Options.Create(settings ?? new AuthSettings { Development = true }), new EdgeClock(_time));

    [Fact]
    public async Task WellFormedToken_IsAccepted_WithItsExpiry()
    {
        var check = await Validator().ValidateAsync(HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now)));

        Assert.True(check.IsValid, check.Reason);
        Assert.Equal("alice", check.UserId);
        Assert.Equal((Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds(), check.ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task ExpInMilliseconds_IsRefused()
    {
        var exp = (Now + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":"alice","exp":{{exp}}}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
    }

    [Fact]
    public async Task ExpFurtherAwayThanTheMaximumLifetime_IsRefused()
    {
        var exp = (Now + TimeSpan.FromDays(365)).ToUnixTimeSeconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":"alice","exp":{{exp}}}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
        Assert.Contains("days away", check.Reason);
    }

    [Fact]
    public async Task ExpAsAString_IsRefused()
    {
        var exp = (Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":"alice","exp":"{{exp}}"}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
        Assert.Contains("exp must be a number", check.Reason);
    }

    [Fact]
    public async Task NumericSub_IsRefused()
    {
        var exp = (Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":12345,"exp":{{exp}}}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
        Assert.Contains("sub must be a string", check.Reason);
    }

    [Fact]
    public async Task MissingExp_IsRefused() =>
        Assert.Equal(ErrorCodes.TokenInvalid, (await Validator().ValidateAsync(HandMadeTokens.Sign("""{"sub":"alice"}"""))).ErrorCode);

    [Theory]
    [InlineData("HS384")]
    [InlineData("none")]
    public async Task AnAlgorithmOtherThanHs256_IsRefused(string alg)
    {
        var check = await Validator().ValidateAsync(HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now), alg: alg));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
        Assert.Contains("alg", check.Reason);
    }

    [Fact]
    public async Task NbfInTheFuture_IsRefused()
    {
        var later = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds();
        var exp = (Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":"alice","nbf":{{later}},"exp":{{exp}}}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
    }

    [Fact]
    public async Task IatInTheFuture_IsRefused()
    {
        var later = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds();
        var exp = (Now + TimeSpan.FromHours(1)).ToUnixTimeSeconds();

        var check = await Validator().ValidateAsync(HandMadeTokens.Sign($$"""{"sub":"alice","iat":{{later}},"exp":{{exp}}}"""));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
    }

    [Fact]
    public async Task ExpiredToken_IsTokenExpired_OnceTheClockSkewHasPassed()
    {
        var validator = Validator();
        var token = HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now, TimeSpan.FromMinutes(5)));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20));
        Assert.True((await validator.ValidateAsync(token)).IsValid);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(ErrorCodes.TokenExpired, (await validator.ValidateAsync(token)).ErrorCode);
    }

    [Fact]
    public async Task TwoKeysByKid_AreBothAccepted_AndEachOnlyUnderItsOwnKid()
    {
        var validator = Validator(new AuthSettings { Keys = new() { ["2026-01"] = KeyA, ["2026-02"] = KeyB } });
        var claims = HandMadeTokens.Claims("alice", Now);

        Assert.True((await validator.ValidateAsync(HandMadeTokens.Sign(claims, KeyA, kid: "2026-01"))).IsValid);
        Assert.True((await validator.ValidateAsync(HandMadeTokens.Sign(claims, KeyB, kid: "2026-02"))).IsValid);
        Assert.Equal(ErrorCodes.TokenInvalid, (await validator.ValidateAsync(HandMadeTokens.Sign(claims, KeyA, kid: "2026-02"))).ErrorCode);
    }

    [Fact]
    public async Task UnknownKid_IsRefused_EvenWhenSignedWithAKnownKey()
    {
        var validator = Validator(new AuthSettings { Keys = new() { ["2026-01"] = KeyA } });

        var check = await validator.ValidateAsync(HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now), KeyA, kid: "2025-12"));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
        Assert.Contains("kid", check.Reason);
    }

    [Fact]
    public async Task TokenWithoutKid_IsRefused_WhenOnlyKeysByKidAreConfigured()
    {
        var validator = Validator(new AuthSettings { Keys = new() { ["2026-01"] = KeyA } });

        var check = await validator.ValidateAsync(HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now), KeyA));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
    }

    [Fact]
    public async Task DevelopmentSecret_IsRefused_WhenARealSecretIsConfigured()
    {
        var validator = Validator(new AuthSettings { Secret = KeyA });

        var check = await validator.ValidateAsync(HandMadeTokens.Sign(HandMadeTokens.Claims("alice", Now)));

        Assert.Equal(ErrorCodes.TokenInvalid, check.ErrorCode);
    }
}
