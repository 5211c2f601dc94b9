using System.CommandLine;
using ImActors.Client;

namespace ImActors.Imctl;

internal static class Commands
{
    public static Command Token()
    {
        var user = new Argument<string>("user") { Description = "User id (the token's sub)" };
        var ttl = new Option<TimeSpan>("--ttl") { Description = "Lifetime, e.g. 01:00:00", DefaultValueFactory = _ => TimeSpan.FromHours(12) };
        var command = new Command("token", "Mint a token for a user with the configured secret") { user, ttl, CommonOptions.Secret };
        command.SetAction(parse =>
        {
            Console.WriteLine(TokenIssuer.Issue(parse.GetValue(user)!, CommonOptions.ResolveSecret(parse), parse.GetValue(ttl)));
            return 0;
        });
        return command;
    }

    public static Command Send()
    {
        var to = new Argument<string>("to") { Description = "Recipient user id" };
        var text = new Argument<string>("text") { Description = "Message text" };
        var cmid = new Option<string?>("--cmid") { Description = "Client message id (default: random); resending one returns its first ACK" };
        var command = new Command("send", "Send a 1:1 message and print its ACK as one JSON line") { to, text, cmid };
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            await using var client = new ImClient(CommonOptions.ClientOptions(parse));
            await client.ConnectAsync(cancel);
            var ack = await client.SendTextAsync(parse.GetValue(to)!, parse.GetValue(text)!, parse.GetValue(cmid), cancel);
            Console.WriteLine(JsonLines.Ack(ack));
            return 0;
        });
        return command;
    }

    public static Command Listen()
    {
        var since = new Option<long?>("--since") { Description = "Also print every message after this seq (default: only new ones)" };
        var count = new Option<int?>("--count") { Description = "Exit after this many messages" };
        var timeout = new Option<double?>("--timeout") { Description = "Exit after this many seconds" };
        var command = new Command("listen", "Print the inbox and your groups' timelines, one JSON line per message") { since, count, timeout };
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            if (parse.GetValue(timeout) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await using var client = new ImClient(CommonOptions.ClientOptions(parse, parse.GetValue(since)));
            client.ConnectionChanged += e => Console.Error.WriteLine(e.Connected ? $"connected to {e.Server}" : $"disconnected: {e.Reason}; reconnecting");
            await client.ConnectAsync(stop.Token);
            var limit = parse.GetValue(count);
            var printed = 0;
            try
            {
                await foreach (var message in client.Messages.ReadAllAsync(stop.Token))
                {
                    Console.WriteLine(JsonLines.Message(message));
                    if (++printed == limit)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // --timeout reached.
            }

            return 0;
        });
        return command;
    }

    public static Command Chat()
    {
        var with = new Option<string?>("--with") { Description = "Peer to send lines to (change with /to <user>)" };
        var command = new Command("chat", "Interactive session: type lines to send, see messages as they arrive") { with };
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            await using var client = new ImClient(CommonOptions.ClientOptions(parse));
            client.ConnectionChanged += e => Console.Error.WriteLine(e.Connected ? $"* connected to {e.Server}" : $"* disconnected: {e.Reason}");
            await client.ConnectAsync(cancel);
            var peer = parse.GetValue(with);
            Console.Error.WriteLine($"* signed in as {client.UserId}. Type a line to send it{(peer is null ? "; /to <user> first" : $" to {peer}")}. Ctrl-D quits.");
            var printing = Task.Run(async () =>
            {
                await foreach (var m in client.Messages.ReadAllAsync(cancel))
                {
                    var from = m.IsFromSystem ? "(system)" : m.From;
                    Console.WriteLine($"[{m.Seq}] {m.Timestamp.ToLocalTime():HH:mm:ss} {from} -> {m.To}: {m.Text ?? $"({m.ContentType}, {m.Body.Length} bytes)"}");
                }
            }, cancel);

            while (await Console.In.ReadLineAsync(cancel) is { } line)
            {
                if (line.StartsWith("/to ", StringComparison.Ordinal))
                {
                    peer = line[4..].Trim();
                    Console.Error.WriteLine($"* now talking to {peer}");
                    continue;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                if (peer is null)
                {
                    Console.Error.WriteLine("* say who to talk to first: /to <user>");
                    continue;
                }

                try
                {
                    var ack = await client.SendTextAsync(peer, line, cancellationToken: cancel);
                    Console.Error.WriteLine($"* sent [{ack.Seq}]");
                }
                catch (ImClientException e)
                {
                    Console.Error.WriteLine($"* not sent: {e.Message}");
                }
            }

            return 0;
        });
        return command;
    }
}
