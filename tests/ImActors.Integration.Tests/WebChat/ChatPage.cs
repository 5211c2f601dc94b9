using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ImActors.Integration.Tests.WebChat;

/// <summary>One user's tab of the web chat, driven through what a person sees and clicks (ids of index.html).</summary>
public sealed class ChatPage
{
    public ChatPage(IPage page, string user, ITestOutputHelper output)
    {
        (Page, User) = (page, user);
        // A script error shows up as a timeout far from its cause: say it where the test's output is read.
        page.PageError += (_, error) => output.WriteLine($"{user}'s page: {error}");
        page.Console += (_, message) => output.WriteLine($"{user}'s console: {message.Type} {message.Text}");
    }

    public static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = 20_000 };

    public IPage Page { get; }

    public string User { get; }

    public async Task SignInAsync(string url)
    {
        await Page.GotoAsync(url);
        await Page.FillAsync("#signin-user", User);
        await Page.ClickAsync("#signin-button");
        await OnlineAsync();
    }

    public Task OnlineAsync() => Expect(Page.Locator("#status")).ToHaveTextAsync("online", Wait);

    public Task OpenAsync(string key) => Page.ClickAsync($"#conversations button[data-key='{key}']");

    public async Task StartChatAsync(string peer)
    {
        await Page.FillAsync("#new-chat-user", peer);
        await Page.ClickAsync("#new-chat button");
    }

    public async Task CreateGroupAsync(string group, params string[] members)
    {
        await Page.FillAsync("#new-group-id", group);
        await Page.FillAsync("#new-group-members", string.Join(", ", members));
        await Page.ClickAsync("#new-group button");
        // The page opens the group once the edge has created it: what is typed before then goes to the last conversation.
        await Expect(Page.Locator("#title")).ToHaveTextAsync("# " + group, Wait);
    }

    public async Task SendAsync(string text)
    {
        await Page.FillAsync("#text", text);
        await Page.PressAsync("#text", "Enter");
    }

    /// <summary>Waits until the open conversation's messages, in order, are exactly these texts.</summary>
    public Task ShowsAsync(params string[] texts) =>
        Expect(Page.Locator("#messages .msg:not(.event) .text")).ToHaveTextAsync(texts, new() { Timeout = Wait.Timeout });

    public Task UnreadAsync(string key, string count) =>
        Expect(Page.Locator($"#conversations button[data-key='{key}'] .unread")).ToHaveTextAsync(count, Wait);
}
