using System.CommandLine;
using ImActors.Client;

namespace ImActors.Imctl;

/// <summary><c>imctl presence</c> and <c>imctl watch</c>: one JSON line per user, and per change while watching.</summary>
internal static class PresenceCommands
{
    private static readonly Argument<string[]> Users = new("users") { Description = "User ids", Arity = ArgumentArity.OneOrMore };

    public static Command Presence()
    {
        var command = new Command("presence", "Print each user's presence now, one JSON line each") { Users };
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            await using var client = new ImClient(CommonOptions.ClientOptions(parse));
            await client.ConnectAsync(cancel);
            foreach (var presence in await client.GetPresenceAsync(parse.GetValue(Users)!, cancel))
            {
                Console.WriteLine(JsonLines.Presence(presence));
            }

            return 0;
        });
        return command;
    }

    public static Command Watch()
    {
        var command = new Command("watch", "Print each user's presence, then every change, as JSON lines until Ctrl-C") { Users };
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            await using var client = new ImClient(CommonOptions.ClientOptions(parse));
            client.ConnectionChanged += e => Console.Error.WriteLine(e.Connected ? $"connected to {e.Server}" : $"disconnected: {e.Reason}; reconnecting");
            // Subscribed before watching: a change pushed right after the snapshot must not be missed.
            client.PresenceChanged += p => Console.WriteLine(JsonLines.Presence(p));
            await client.ConnectAsync(cancel);
            foreach (var presence in await client.WatchAsync(parse.GetValue(Users)!, cancel))
            {
                Console.WriteLine(JsonLines.Presence(presence));
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancel);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C.
            }

            return 0;
        });
        return command;
    }
}
