using System.CommandLine;
using ImActors.Client;

namespace ImActors.Imctl;

/// <summary><c>imctl group …</c> and <c>imctl conversations</c>: each connects, does one thing, prints JSON lines.</summary>
internal static class GroupCommands
{
    private static readonly Argument<string> GroupId = new("group") { Description = "Group id" };

    public static Command Group()
    {
        var group = new Command("group", "Create and manage groups, and send to them");
        var members = new Option<string?>("--members") { Description = "Comma-separated user ids" };
        var open = new Option<bool>("--open") { Description = "Anyone may join (and members may add others)" };
        group.Subcommands.Add(Connected("create", "Create a group; you become its owner", [GroupId, members, open], async (client, parse, cancel) =>
            JsonLines.Group(await client.CreateGroupAsync(parse.GetValue(GroupId)!, Split(parse.GetValue(members)), parse.GetValue(open), cancel))));

        var users = new Argument<string[]>("users") { Description = "User ids", Arity = ArgumentArity.OneOrMore };
        group.Subcommands.Add(Connected("add", "Add members (owner/admins)", [GroupId, users], async (client, parse, cancel) =>
            JsonLines.Change(await client.AddMembersAsync(parse.GetValue(GroupId)!, Expand(parse.GetValue(users)!), cancel))));
        group.Subcommands.Add(Connected("remove", "Remove members (owner/admins)", [GroupId, users], async (client, parse, cancel) =>
            JsonLines.Change(await client.RemoveMembersAsync(parse.GetValue(GroupId)!, Expand(parse.GetValue(users)!), cancel))));
        group.Subcommands.Add(Connected("join", "Join an open group", [GroupId], async (client, parse, cancel) =>
            JsonLines.Change(await client.JoinGroupAsync(parse.GetValue(GroupId)!, cancel))));
        group.Subcommands.Add(Connected("leave", "Leave a group", [GroupId], async (client, parse, cancel) =>
            JsonLines.Change(await client.LeaveGroupAsync(parse.GetValue(GroupId)!, cancel))));
        group.Subcommands.Add(Connected("dissolve", "Dissolve a group (owner)", [GroupId], async (client, parse, cancel) =>
            JsonLines.Change(await client.DissolveGroupAsync(parse.GetValue(GroupId)!, cancel))));
        group.Subcommands.Add(Connected("info", "Show a group", [GroupId], async (client, parse, cancel) =>
            JsonLines.Group(await client.GetGroupInfoAsync(parse.GetValue(GroupId)!, cancel))));

        var member = new Argument<string>("member") { Description = "User id" };
        var role = new Argument<string>("role") { Description = "admin or member" };
        group.Subcommands.Add(Connected("role", "Make a member an admin, or an admin a member (owner)", [GroupId, member, role], async (client, parse, cancel) =>
            JsonLines.Change(await client.SetRoleAsync(parse.GetValue(GroupId)!, parse.GetValue(member)!, parse.GetValue(role)!, cancel))));
        var unmute = new Option<bool>("--off") { Description = "Unmute instead" };
        group.Subcommands.Add(Connected("mute", "Mute a member (owner/admins)", [GroupId, member, unmute], async (client, parse, cancel) =>
            JsonLines.Change(await client.MuteAsync(parse.GetValue(GroupId)!, parse.GetValue(member)!, !parse.GetValue(unmute), cancel))));
        group.Subcommands.Add(Connected("transfer", "Hand ownership to a member (owner)", [GroupId, member], async (client, parse, cancel) =>
            JsonLines.Change(await client.TransferOwnershipAsync(parse.GetValue(GroupId)!, parse.GetValue(member)!, cancel))));

        group.Subcommands.Add(Connected("members", "List members, one JSON line each", [GroupId], async (client, parse, cancel) =>
        {
            var lines = new List<string>();
            string? after = null;
            do
            {
                var (page, next) = await client.GetMembersAsync(parse.GetValue(GroupId)!, after, 1000, cancel);
                lines.AddRange(page.Select(JsonLines.Member));
                after = next;
            }
            while (after is not null);

            return string.Join(Environment.NewLine, lines);
        }));

        var text = new Argument<string>("text") { Description = "Message text" };
        var cmid = new Option<string?>("--cmid") { Description = "Client message id (default: random); resending one returns its first ACK" };
        group.Subcommands.Add(Connected("send", "Send to a group and print the ACK", [GroupId, text, cmid], async (client, parse, cancel) =>
            JsonLines.Ack(await client.SendGroupTextAsync(parse.GetValue(GroupId)!, parse.GetValue(text)!, parse.GetValue(cmid), cancel))));
        return group;
    }

    public static Command Conversations() =>
        Connected("conversations", "List your conversations with unread counts, one JSON line each", [], async (client, _, cancel) =>
            string.Join(Environment.NewLine, (await client.GetConversationsAsync(cancel)).Select(JsonLines.Conversation)));

    /// <summary>A command that connects as --as, runs <paramref name="run"/> and prints what it returns.</summary>
    internal static Command Connected(string name, string description, Symbol[] symbols, Func<ImClient, ParseResult, CancellationToken, Task<string>> run)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            await using var client = new ImClient(CommonOptions.ClientOptions(parse));
            await client.ConnectAsync(cancel);
            var output = await run(client, parse, cancel);
            if (output.Length > 0)
            {
                Console.WriteLine(output);
            }

            return 0;
        });
        return command;
    }

    private static string[] Split(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Users may be given as separate arguments, comma lists, or both.</summary>
    private static string[] Expand(string[] users) => users.SelectMany(Split).ToArray();
}
