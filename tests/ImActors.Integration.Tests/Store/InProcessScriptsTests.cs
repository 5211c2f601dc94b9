using ImActors.Grains.Store;
using ImActors.Integration.Tests.Infrastructure;
using StackExchange.Redis;

namespace ImActors.Integration.Tests.Store;

/// <summary>
/// The single node runs the grains' scripts in-process on the embedded store (decision 84): its replies must read as
/// the client library's do, its errors must stay errors of one call, and its pooled sessions must never mix callers.
/// </summary>
[Trait(StoreSwitch.Trait, StoreSwitch.Fixed)]
public sealed class InProcessScriptsTests(InProcessScriptsTests.Store store) : IClassFixture<InProcessScriptsTests.Store>
{
    public sealed class Store : IAsyncLifetime
    {
        private readonly EmbeddedStore _store = new();

        public IStoreScripts InProcess { get; private set; } = null!;

        public IStoreScripts OverTheNetwork { get; private set; } = null!;

        private ConnectionMultiplexer? _mux;

        public async Task InitializeAsync()
        {
            await _store.StartAsync();
            _mux = await ConnectionMultiplexer.ConnectAsync(_store.ConnectionString);
            InProcess = _store.Scripts;
            OverTheNetwork = new ConnectionScripts(_mux);
        }

        public async Task DisposeAsync()
        {
            _mux?.Dispose();
            await _store.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("return 42")]
    [InlineData("return 'text'")]
    [InlineData("return false")]
    [InlineData("return redis.status_reply('FINE')")]
    [InlineData("return {}")]
    [InlineData("return {1, 'two', false, {3, 'four', {}}, redis.status_reply('OK')}")]
    [InlineData("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])")]
    [InlineData("return redis.call('GET', KEYS[1] .. ':missing')")]
    public async Task Replies_ReadTheSameAsThroughTheClient(string script)
    {
        var key = (RedisKey)("inproc:" + Guid.NewGuid().ToString("N"));
        RedisValue[] args = ["a value"];

        var inProcess = await store.InProcess.Evaluate(script, [key], args);
        var network = await store.OverTheNetwork.Evaluate(script, [key], args);

        Assert.Equal(Describe(network), Describe(inProcess));
    }

    [Fact]
    public async Task ArgumentsAndReplies_AreBinarySafe()
    {
        byte[] body = [0, 13, 10, 255, 0xC3, 0x28, (byte)'$', (byte)'*', 13, 10];

        var reply = await store.InProcess.Evaluate("return ARGV[1]", [], [body]);

        Assert.Equal(body, (byte[])reply!);
    }

    [Theory]
    [InlineData("return redis.error_reply('ERR a refusal of the script')", "a refusal of the script")]
    [InlineData("error('a failure of the script')", "a failure of the script")]
    [InlineData("redis.call('SET', KEYS[1], 'text'); return redis.call('INCR', KEYS[1])", "not an integer")]
    [InlineData("return redis.call('NOSUCHCOMMAND')", "")]
    public async Task AScriptError_IsAServerErrorOfThatCall_AndTheNextCallIsServed(string script, string expected)
    {
        var key = (RedisKey)("inproc:" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<RedisServerException>(() => store.InProcess.Evaluate(script, [key], []));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);

        // The same pooled session (the pool hands back the one just returned) answers the next call normally.
        Assert.Equal(7, (long)(await store.InProcess.Evaluate("return tonumber(ARGV[1])", [], [7]))!);
    }

    [Fact]
    public async Task ManyThreadsAtOnce_EachGetTheirOwnReply()
    {
        var counter = (RedisKey)("inproc:" + Guid.NewGuid().ToString("N"));
        const string script = "redis.call('INCR', KEYS[1]); return ARGV[1]";

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var mine = $"{worker}:{i}";
                Assert.Equal(mine, (string?)await store.InProcess.Evaluate(script, [counter], [mine]));
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(16 * 200, (long)(await store.InProcess.Evaluate("return tonumber(redis.call('GET', KEYS[1]))", [counter], []))!);
    }

    /// <summary>A reply as text: its RESP type and value, arrays item by item.</summary>
    private static string Describe(RedisResult result) => result.Resp2Type switch
    {
        ResultType.Array => "[" + string.Join(", ", ((RedisResult[])result!).Select(Describe)) + "]",
        var type => $"{type}:{(result.IsNull ? "null" : result.ToString())}",
    };
}
