using System.Buffers;
using System.Buffers.Text;
using System.Text;
using StackExchange.Redis;

namespace ImActors.Silo.Store;

/// <summary>
/// The RESP2 the in-process store session speaks: commands written as arrays of bulk strings, replies read into
/// the client library's <see cref="RedisResult"/>, so the grains read an in-process reply as they read a networked one.
/// </summary>
internal static class Resp
{
    public static void WriteArrayHeader(IBufferWriter<byte> to, int count) => WriteLine(to, (byte)'*', count);

    public static void WriteBulk(IBufferWriter<byte> to, ReadOnlySpan<byte> value)
    {
        WriteLine(to, (byte)'$', value.Length);
        to.Write(value);
        to.Write("\r\n"u8);
    }

    /// <summary>A value as the client library would send it (numbers as their digits), copied without an array of its own.</summary>
    public static void WriteBulk(IBufferWriter<byte> to, RedisValue value)
    {
        var length = value.IsNull ? 0 : value.GetByteCount();
        WriteLine(to, (byte)'$', length);
        if (length > 0)
        {
            value.CopyTo(to.GetSpan(length));
            to.Advance(length);
        }

        to.Write("\r\n"u8);
    }

    /// <summary>A key as UTF-8: the grains' keys are text (ids are validated before they reach a key).</summary>
    public static void WriteBulk(IBufferWriter<byte> to, RedisKey key)
    {
        var text = (string?)key ?? "";
        var length = Encoding.UTF8.GetByteCount(text);
        WriteLine(to, (byte)'$', length);
        to.Advance(Encoding.UTF8.GetBytes(text, to.GetSpan(length)));
        to.Write("\r\n"u8);
    }

    public static void WriteBulk(IBufferWriter<byte> to, long number)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out var written);
        WriteBulk(to, digits[..written]);
    }

    /// <summary>The whole reply at the start of <paramref name="reply"/>; an error reply becomes <see cref="RedisServerException"/>.</summary>
    public static RedisResult ReadReply(ReadOnlySpan<byte> reply)
    {
        var at = 0;
        var result = Read(reply, ref at);
        return result.Resp2Type == ResultType.Error ? throw new RedisServerException(result.ToString()!) : result;
    }

    private static void WriteLine(IBufferWriter<byte> to, byte prefix, int number)
    {
        var span = to.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out var written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        to.Advance(written + 3);
    }

    private static RedisResult Read(ReadOnlySpan<byte> reply, ref int at)
    {
        if (at >= reply.Length)
        {
            throw new RedisConnectionException(ConnectionFailureType.ProtocolFailure, "the embedded store's reply ended early");
        }

        var type = reply[at];
        var line = Line(reply, ref at);
        switch (type)
        {
            case (byte)'+':
                return RedisResult.Create((RedisValue)Encoding.UTF8.GetString(line), ResultType.SimpleString);
            case (byte)'-':
                return RedisResult.Create((RedisValue)Encoding.UTF8.GetString(line), ResultType.Error);
            case (byte)':':
                return RedisResult.Create(Number(line), ResultType.Integer);
            case (byte)'$':
            {
                var length = Number(line);
                if (length < 0)
                {
                    return RedisResult.Create(RedisValue.Null, ResultType.BulkString);
                }

                var value = reply.Slice(at, (int)length).ToArray();
                at += (int)length + 2;
                return RedisResult.Create((RedisValue)value, ResultType.BulkString);
            }
            case (byte)'*':
            {
                var count = Number(line);
                if (count < 0)
                {
                    return RedisResult.Create((RedisResult[])null!, ResultType.Array);
                }

                var items = new RedisResult[count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Read(reply, ref at);
                }

                return RedisResult.Create(items);
            }
            default:
                throw new RedisConnectionException(ConnectionFailureType.ProtocolFailure, $"the embedded store answered an unknown reply type '{(char)type}'");
        }
    }

    /// <summary>The rest of the current line after its type byte; moves past its CRLF.</summary>
    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> reply, ref int at)
    {
        var end = reply[at..].IndexOf("\r\n"u8);
        if (end < 0)
        {
            throw new RedisConnectionException(ConnectionFailureType.ProtocolFailure, "the embedded store's reply ended early");
        }

        var line = reply.Slice(at + 1, end - 1);
        at += end + 2;
        return line;
    }

    private static long Number(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out long value, out var used) && used == digits.Length
            ? value
            : throw new RedisConnectionException(ConnectionFailureType.ProtocolFailure, "the embedded store answered a malformed number");
}
