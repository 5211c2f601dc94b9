using ImActors.Grains.Interfaces.Users;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Users;

/// <summary>
/// The device policy at work on real connections, with the defaults (one mobile, one desktop, five web, ten in all):
/// a sign-in beyond a rule closes the oldest session the rule counts, with closing code 410 and the rule in the reason.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceLimitTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ASecondPhone_ClosesTheFirst_NamingTheRule_AndTheDesktopStays()
    {
        var ann = Clients.NewUser("ann");
        await using var iphone = await SignInAsync(cluster.Edge, ann, "iphone", "ios");
        await using var desktop = await SignInAsync(cluster.EdgeB, ann, "desk", "macos");

        await using var pixel = await SignInAsync(cluster.EdgeB, ann, "pixel", "android");

        var closing = await ClosingAsync(iphone);
        Assert.Equal(ErrorCodes.Kicked, closing.Code);
        Assert.Contains("at most 1 mobile device per user", closing.Reason);
        Assert.Contains("pixel", closing.Reason);
        await Eventually.TrueAsync(async () =>
            (await cluster.Grains.GetGrain<IUserGrain>(ann).GetSessions()).Select(s => s.Device).Order().SequenceEqual(["desk", "pixel"]));
    }

    [Fact]
    public async Task ThePerUserCap_ClosesTheOldestSession_OfAnyPlatform()
    {
        var ann = Clients.NewUser("ann");
        var devices = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                devices.Add(await SignInAsync(i % 2 == 0 ? cluster.Edge : cluster.EdgeB, ann, $"d{i}", "kiosk"));
            }

            devices.Add(await SignInAsync(cluster.Edge, ann, "d10", "kiosk"));

            var closing = await ClosingAsync(devices[0]);
            Assert.Equal(ErrorCodes.Kicked, closing.Code);
            Assert.Contains("at most 10 devices per user", closing.Reason);
            var sessions = await cluster.Grains.GetGrain<IUserGrain>(ann).GetSessions();
            Assert.Equal(10, sessions.Count);
            Assert.DoesNotContain(sessions, s => s.Device == "d0");
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    private static async Task<RawConnection> SignInAsync(EdgeProcess edge, string user, string device, string platform)
    {
        var connection = await RawConnection.OpenTcpAsync(edge);
        await connection.SendAsync(FrameKind.Hello, new HelloFrame { Token = Clients.Token(user), Device = device, Platform = platform, Versions = [1] });
        Assert.IsType<WelcomeFrame>((await connection.ReceiveAsync())?.Body);
        // Registered sessions carry their connect time: the next sign-in must come later to be the newer one.
        await Task.Delay(5);
        return connection;
    }

    private static async Task<ClosingFrame> ClosingAsync(RawConnection connection)
    {
        while (true)
        {
            var frame = await connection.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.NotNull(frame);
            if (frame?.Body is ClosingFrame closing)
            {
                return closing;
            }
        }
    }
}
