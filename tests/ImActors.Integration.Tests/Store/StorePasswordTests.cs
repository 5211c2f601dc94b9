using System.Net.Sockets;
using System.Text;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Silo.Store;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The embedded store listens on loopback, which every local user reaches: it must refuse whoever lacks the password
/// made into its data directory, and serve the node's own connections, which carry it (decision 108).
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class StorePasswordTests
{
    [Fact]
    public async Task ConnectionWithoutThePassword_IsRefused_AndOneWithIt_ReadsAndWrites()
    {
        await using var store = new EmbeddedStore();
        await store.StartAsync();
        var password = await File.ReadAllTextAsync(Path.Combine(store.DataDir, StorePassword.FileName));

        using var stranger = await RespSocket.ConnectAsync(store.Port);
        Assert.StartsWith("-NOAUTH", await stranger.CommandAsync("PING"));
        Assert.StartsWith("-NOAUTH", await stranger.CommandAsync("SET", "im:{alice}:seq", "99"));
        Assert.StartsWith("-", await stranger.CommandAsync("AUTH", "not-the-password"));
        Assert.StartsWith("-NOAUTH", await stranger.CommandAsync("GET", "im:{alice}:seq"));

        using var owner = await RespSocket.ConnectAsync(store.Port);
        Assert.Equal("+OK", await owner.CommandAsync("AUTH", password));
        Assert.Equal("+OK", await owner.CommandAsync("SET", "im:{alice}:seq", "7"));
        Assert.Equal("$1", await owner.CommandAsync("GET", "im:{alice}:seq"));

        // What the silo and the grains connect with: the connection string carries the password.
        await using var node = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        Assert.Equal("7", (string?)await node.GetDatabase().StringGetAsync("im:{alice}:seq"));
        // And the in-process sessions of the grains' scripts are authenticated too.
        Assert.Equal("7", (string?)await store.Scripts.Evaluate("return redis.call('GET', KEYS[1])", ["im:{alice}:seq"], []));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ThePassword_IsRandom_OwnerOnly_AndKeptAcrossRestarts()
    {
        await using var first = new EmbeddedStore();
        await first.StartAsync();
        var file = Path.Combine(first.DataDir, StorePassword.FileName);
        var password = await File.ReadAllTextAsync(file);
        Assert.Matches("^[0-9a-f]{64}$", password);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(first.DataDir));
        await first.StopAsync();

        await using var other = new EmbeddedStore();
        await other.StartAsync();
        Assert.NotEqual(password, await File.ReadAllTextAsync(Path.Combine(other.DataDir, StorePassword.FileName)));

        // A file widened by hand is narrowed again at start; the password stays the one the data was written under.
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var again = new EmbeddedStore(first.DataDir);
        await again.StartAsync();
        Assert.Equal(password, await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var owner = await RespSocket.ConnectAsync(again.Port);
        Assert.Equal("+OK", await owner.CommandAsync("AUTH", password));
    }

    /// <summary>A bare RESP connection: what another local user could open, with no client library in between.</summary>
    private sealed class RespSocket(TcpClient client) : IDisposable
    {
        private readonly StreamReader _reader = new(client.GetStream(), Encoding.UTF8);

        public static async Task<RespSocket> ConnectAsync(int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return new RespSocket(client);
        }

        /// <summary>Sends one command; returns the first line of the reply.</summary>
        public async Task<string> CommandAsync(params string[] parts)
        {
            var command = new StringBuilder($"*{parts.Length}\r\n");
            foreach (var part in parts)
            {
                command.Append($"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
            }

            await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(command.ToString()));
            var line = await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) ?? "";
            if (line.StartsWith('$') && line != "$-1")
            {
                await _reader.ReadLineAsync();
            }

            return line;
        }

        public void Dispose() => client.Dispose();
    }
}
