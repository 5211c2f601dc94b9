using System.CommandLine;
using ImActors.Client;
using ImActors.Imctl;

var root = new RootCommand("imctl: command-line client for ImActors")
{
    Commands.Token(),
    Commands.Send(),
    Commands.Listen(),
    Commands.Chat(),
    GroupCommands.Group(),
    GroupCommands.Conversations(),
    AdminCommands.Kick(),
    AdminCommands.Ban(),
    AdminCommands.Unban(),
    AdminCommands.Revoke(),
    AdminCommands.Notify(),
    AdminCommands.Status(),
    PresenceCommands.Presence(),
    PresenceCommands.Watch(),
    BlockCommands.Block(),
    BlockCommands.Unblock(),
    BlockCommands.Blocks(),
};

try
{
    // Errors are ours to print: one line, no stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (ImClientException e)
{
    Console.Error.WriteLine($"imctl: {e.Message}");
    return 1;
}
catch (AdminApiException e)
{
    Console.Error.WriteLine($"imctl: {e.Message}");
    return 1;
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException or HttpRequestException)
{
    Console.Error.WriteLine($"imctl: {e.Message}");
    return 1;
}
