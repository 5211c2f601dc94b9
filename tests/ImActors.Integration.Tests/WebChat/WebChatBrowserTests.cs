using System.Text.RegularExpressions;
using ImActors.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ImActors.Integration.Tests.WebChat;

/// <summary>
/// The web chat the edge serves at <c>/</c>, driven in a real headless chromium (the system's, launched by path; no
/// browser download) against an edge of the test cluster with development sign-in on: two users in two browser
/// contexts chat, read, type, reload, go offline and come back, and talk in a group.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class WebChatBrowserTests(ClusterFixture cluster, ITestOutputHelper output)
{
    /// <summary>Debian's chromium binary itself (its <c>/usr/bin/chromium</c> is a wrapper script); IMACTORS_CHROMIUM overrides it.</summary>
    private static string Chromium =>
        Environment.GetEnvironmentVariable("IMACTORS_CHROMIUM") is { Length: > 0 } path ? path
        : File.Exists("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : "/usr/bin/chromium";

    [Fact]
    public async Task TwoUsers_Chat_Reload_GoOffline_Type_AndTalkInAGroup()
    {
        await using var edge = await cluster.StartEdgeAsync($"web-{Guid.NewGuid():N}"[..12], new Dictionary<string, string?> { ["WebChat:DevTokens"] = "true" });
        var url = $"http://127.0.0.1:{edge.HttpPort}/";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var (aliceId, bobId) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync();
        var alice = new ChatPage(await aliceContext.NewPageAsync(), aliceId, output);
        var bob = new ChatPage(await bobContext.NewPageAsync(), bobId, output);
        await alice.SignInAsync(url);
        await bob.SignInAsync(url);

        // 1:1: the message arrives, unread until bob opens the conversation, then alice's copy is marked read.
        await alice.StartChatAsync(bobId);
        await alice.SendAsync("hello bob");
        await bob.UnreadAsync("u:" + aliceId, "1");
        await bob.OpenAsync("u:" + aliceId);
        await bob.ShowsAsync("hello bob");
        await Expect(alice.Page.Locator("#messages .msg.mine .mark")).ToHaveTextAsync("read", ChatPage.Wait);

        // Typing shows on the other side.
        await bob.Page.FillAsync("#text", "typing...");
        await Expect(alice.Page.Locator("#typing")).ToHaveTextAsync($"{bobId} is typing…", ChatPage.Wait);
        await bob.Page.FillAsync("#text", "");
        await bob.SendAsync("hi alice");
        await alice.ShowsAsync("hello bob", "hi alice");

        // A reload keeps the history: the page syncs it again from the edge.
        await bob.Page.ReloadAsync();
        await bob.OnlineAsync();
        await bob.OpenAsync("u:" + aliceId);
        await bob.ShowsAsync("hello bob", "hi alice");

        // Offline, then back: bob gets what he missed.
        await bobContext.SetOfflineAsync(true);
        await Expect(bob.Page.Locator("#status")).ToHaveTextAsync("offline", ChatPage.Wait);
        await alice.SendAsync("missed one");
        await alice.SendAsync("missed two");
        await Expect(alice.Page.Locator("#messages .msg.mine .mark")).ToHaveTextAsync(["read", "sent", "sent"], new() { Timeout = 20_000 });
        await bobContext.SetOfflineAsync(false);
        await bob.OnlineAsync();
        await bob.ShowsAsync("hello bob", "hi alice", "missed one", "missed two");

        // A group: alice creates it with bob in it; each sees the other's message.
        var group = Clients.NewUser("team");
        await alice.CreateGroupAsync(group, bobId);
        await alice.SendAsync("hi team");
        await Expect(bob.Page.Locator($"#conversations button[data-key='g:{group}'] .unread")).ToHaveTextAsync(new Regex("^[1-9]"), ChatPage.Wait);
        await bob.OpenAsync("g:" + group);
        await bob.ShowsAsync("hi team");
        await bob.SendAsync("hello from bob");
        await alice.ShowsAsync("hi team", "hello from bob");
    }
}
