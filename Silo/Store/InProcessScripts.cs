using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ImActors.Grains.Store;
using StackExchange.Redis;

namespace ImActors.Silo.Store;

/// <summary>
/// The grains' scripts on the embedded store, run in the calling thread: no socket, no store thread and no reply
/// thread between a grain and its write (decision 84). Scripts are sent by hash and loaded on first use, as the
/// client library does.
/// </summary>
public sealed class InProcessScripts(EmbeddedGarnet store) : IStoreScripts
{
    private readonly ConcurrentDictionary<string, byte[]> _hashes = new();

    public Task<RedisResult> Evaluate(string script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            var hash = _hashes.GetOrAdd(script, static s => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(s)))));
            try
            {
                return Task.FromResult(Run("EVALSHA"u8, hash, keys, args));
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                // Loads it into the store's script cache too: the next call by hash finds it.
                return Task.FromResult(Run("EVAL"u8, Encoding.UTF8.GetBytes(script), keys, args));
            }
        }
        catch (Exception e)
        {
            return Task.FromException<RedisResult>(e);
        }
    }

    private RedisResult Run(ReadOnlySpan<byte> command, byte[] script, RedisKey[] keys, RedisValue[] args)
    {
        var session = store.Sessions.Rent();
        var request = session.Request;
        Resp.WriteArrayHeader(request, 3 + keys.Length + args.Length);
        Resp.WriteBulk(request, command);
        Resp.WriteBulk(request, script);
        Resp.WriteBulk(request, keys.Length);
        foreach (var key in keys)
        {
            Resp.WriteBulk(request, key);
        }

        foreach (var arg in args)
        {
            Resp.WriteBulk(request, arg);
        }

        return session.Execute();
    }
}
