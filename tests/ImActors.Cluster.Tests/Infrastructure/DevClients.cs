using ImActors.Client;
using ImActors.Protocol;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>SDK clients signed in with the public development secret, which the edges these tests start accept.</summary>
public static class DevClients
{
    public static async Task<ImClient> ConnectAsync(Uri server, string user, long? resumeAfter = null)
    {
        var client = new ImClient(new ImClientOptions
        {
            Servers = [server],
            TokenProvider = _ => ValueTask.FromResult(TokenIssuer.Issue(user, ProtocolDefaults.DevelopmentTokenSecret, TimeSpan.FromHours(1))),
            Device = "phone",
            ResumeAfterSeq = resumeAfter,
        });
        await client.ConnectAsync();
        return client;
    }
}
