using System.CommandLine;
using System.Text.Json;
using static ImActors.Imctl.GroupCommands;

namespace ImActors.Imctl;

/// <summary><c>imctl block|unblock|blocks --as USER</c>: the user's own block list, through the client protocol.</summary>
internal static class BlockCommands
{
    private static readonly Argument<string> Other = new("user") { Description = "The user to block or unblock" };

    public static Command Block() =>
        Connected("block", "Block a user: their 1:1 messages to you are refused (450); groups are not touched", [Other], async (client, parse, cancel) =>
            Change(parse.GetValue(Other)!, blocked: true, await client.BlockAsync(parse.GetValue(Other)!, cancel)));

    public static Command Unblock() =>
        Connected("unblock", "Unblock a user", [Other], async (client, parse, cancel) =>
            Change(parse.GetValue(Other)!, blocked: false, await client.UnblockAsync(parse.GetValue(Other)!, cancel)));

    public static Command Blocks() =>
        Connected("blocks", "List the users you have blocked, one JSON line each", [], async (client, _, cancel) =>
            string.Join(Environment.NewLine, (await client.GetBlockedAsync(cancel)).Select(u => JsonSerializer.Serialize(new { user = u }))));

    // changed: false when the list was already so (blocked twice, or not blocked).
    private static string Change(string user, bool blocked, bool changed) => JsonSerializer.Serialize(new { user, blocked, changed });
}
