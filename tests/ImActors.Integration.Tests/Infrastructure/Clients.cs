using ImActors.Client;
using ImActors.Protocol;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>SDK clients for tests: fresh user names per test so tests never see each other's messages.</summary>
public static class Clients
{
    public static string NewUser(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}";

    public static string Token(string user, TimeSpan? lifetime = null) =>
        TokenIssuer.Issue(user, ProtocolDefaults.DevelopmentTokenSecret, lifetime ?? TimeSpan.FromHours(1));

    public static async Task<ImClient> ConnectAsync(
        Uri server, string user, string? device = null, long? resumeAfter = null, IReadOnlyDictionary<string, long>? resumeGroups = null)
    {
        var client = new ImClient(new ImClientOptions
        {
            Servers = [server],
            TokenProvider = _ => ValueTask.FromResult(Token(user)),
            Device = device ?? "dev-" + Guid.NewGuid().ToString("N")[..6],
            ResumeAfterSeq = resumeAfter,
            ResumeGroups = resumeGroups,
            AckTimeout = TimeSpan.FromSeconds(3),
            SendDeadline = TimeSpan.FromSeconds(20),
        });
        await client.ConnectAsync();
        return client;
    }

    /// <summary>The next <paramref name="count"/> messages, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<List<InboxMessage>> ReceiveAsync(this ImClient client, int count, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var received = new List<InboxMessage>();
        try
        {
            while (received.Count < count)
            {
                received.Add(await client.Messages.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"received {received.Count} of {count} messages: [{string.Join(", ", received.Select(m => $"{m.Seq}:{m.Text}"))}]");
        }

        return received;
    }

    /// <summary>Receives until a message of <paramref name="group"/> with seq <paramref name="seq"/> arrives; returns that group's messages on the way.</summary>
    public static async Task<List<InboxMessage>> ReceiveGroupUntilAsync(this ImClient client, string group, long seq, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var received = new List<InboxMessage>();
        try
        {
            while (received.Count == 0 || received[^1].Seq < seq)
            {
                var message = await client.Messages.ReadAsync(cancel.Token);
                if (message.Group == group)
                {
                    received.Add(message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"waited for seq {seq} of {group}; got [{string.Join(", ", received.Select(m => m.Seq))}]");
        }

        return received;
    }

    /// <summary>The value of the first event raised by <paramref name="subscribe"/> within <paramref name="timeout"/>.</summary>
    public static async Task<T> NextEventAsync<T>(Action<Action<T>> subscribe, TimeSpan? timeout = null)
    {
        var first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => first.TrySetResult(value));
        return await first.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>True when nothing arrives within <paramref name="wait"/>.</summary>
    public static async Task<bool> StaysQuietAsync(this ImClient client, TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await client.Messages.ReadAsync(cancel.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
