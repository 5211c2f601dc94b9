namespace ImActors.Edge.WebChat;

/// <summary>The web chat page and its development sign-in, bound from the "WebChat" section (env: WebChat__DevTokens).</summary>
public sealed class WebChatSettings
{
    public const string Section = "WebChat";

    /// <summary>Serve the page at <c>/</c> on the clients' HTTP port. It holds nothing secret: it is a client like any other.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Answer <c>POST /dev/token</c> with a token for any user who asks, from loopback only. Off by default: it lets
    /// anyone on the machine sign in as anyone, which is what a developer trying the page wants and nobody else does.
    /// </summary>
    public bool DevTokens { get; set; }

    /// <summary>How long a development token lives. Long, so that a page left open does not sign out every few minutes.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
