using MessagePack;

namespace ImActors.Fuzz.Inputs;

/// <summary>
/// Writes MessagePack values for the fuzzer: a value of the type a field expects (with edge cases of that type), a value
/// of any type, nesting far past the decoder's depth limit, and containers or strings whose headers promise more than
/// follows.
/// </summary>
public static class ValueWriter
{
    private static readonly long[] EdgeIntegers =
        [0, 1, -1, 127, 128, 255, 256, -32, -33, short.MaxValue, ushort.MaxValue, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];

    private static readonly string[] EdgeStrings =
        ["", "a", "ann", "bob-1", new string('x', 64), new string('x', 65), "a{b}", "a b", "\0", "é", "👍", "group.create", "block", "presence.watch", "text/plain"];

    /// <summary>A value of <paramref name="type"/>, the way a client that means well (or almost) would write it.</summary>
    public static void Valid(ref MessagePackWriter w, Type type, Random r, int depth)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (!type.IsValueType && r.Next(10) == 0 || nullable is not null && r.Next(4) == 0)
        {
            w.WriteNil();
            return;
        }

        type = nullable ?? type;
        if (type == typeof(string))
        {
            w.Write(r.Next(3) == 0 ? RandomString(r, r.Next(0, 200)) : EdgeStrings[r.Next(EdgeStrings.Length)]);
        }
        else if (type == typeof(int))
        {
            w.Write(r.Next(3) == 0 ? r.Next(int.MinValue, int.MaxValue) : (int)Math.Clamp(EdgeIntegers[r.Next(EdgeIntegers.Length)], int.MinValue, int.MaxValue));
        }
        else if (type == typeof(long))
        {
            w.Write(r.Next(3) == 0 ? r.NextInt64(long.MinValue, long.MaxValue) : EdgeIntegers[r.Next(EdgeIntegers.Length)]);
        }
        else if (type == typeof(bool))
        {
            w.Write(r.Next(2) == 0);
        }
        else if (type == typeof(byte[]))
        {
            var bytes = new byte[r.Next(0, 300)];
            r.NextBytes(bytes);
            w.Write(bytes);
        }
        else if (type.IsArray)
        {
            var count = depth > 3 ? 0 : r.Next(0, 6);
            w.WriteArrayHeader(count);
            for (var i = 0; i < count; i++)
            {
                Valid(ref w, type.GetElementType()!, r, depth + 1);
            }
        }
        else if (FrameSchema.IsObject(type) && depth < 4)
        {
            Map(ref w, FrameSchema.FieldsOf(type), r, depth + 1, wrongField: -1);
        }
        else
        {
            Any(ref w, r, depth + 1);
        }
    }

    /// <summary>A map of <paramref name="fields"/> (some left out, in any order); field <paramref name="wrongField"/> gets a value of any type.</summary>
    public static void Map(ref MessagePackWriter w, FrameSchema.Field[] fields, Random r, int depth, int wrongField)
    {
        var chosen = fields.Select((f, i) => (f, i)).Where(x => x.i == wrongField || r.Next(5) != 0).ToArray();
        r.Shuffle(chosen);
        w.WriteMapHeader(chosen.Length);
        foreach (var (field, i) in chosen)
        {
            w.Write(field.Key);
            if (i == wrongField)
            {
                Any(ref w, r, depth + 1);
            }
            else
            {
                Valid(ref w, field.Type, r, depth);
            }
        }
    }

    /// <summary>Any MessagePack value, of any type, including extensions and containers of them.</summary>
    public static void Any(ref MessagePackWriter w, Random r, int depth)
    {
        switch (r.Next(depth > 3 ? 9 : 12))
        {
            case 0: w.WriteNil(); break;
            case 1: w.Write(r.Next(2) == 0); break;
            case 2: w.Write(EdgeIntegers[r.Next(EdgeIntegers.Length)]); break;
            case 3: w.Write(ulong.MaxValue - (ulong)r.Next(3)); break;
            case 4: w.Write(r.NextDouble() * 1e12); break;
            case 5: w.Write((float)r.NextDouble()); break;
            case 6: w.Write(RandomString(r, r.Next(0, 40))); break;
            case 7:
                var bytes = new byte[r.Next(0, 40)];
                r.NextBytes(bytes);
                w.Write(bytes);
                break;
            case 8:
                // -1 is the timestamp extension: a well-formed one and junk under its type code alike.
                var data = new byte[new[] { 0, 1, 4, 8, 12, 17 }[r.Next(6)]];
                r.NextBytes(data);
                w.WriteExtensionFormat(new ExtensionResult((sbyte)(r.Next(2) == 0 ? -1 : r.Next(-128, 128)), data));
                break;
            case 9:
                var items = r.Next(0, 5);
                w.WriteArrayHeader(items);
                for (var i = 0; i < items; i++)
                {
                    Any(ref w, r, depth + 1);
                }

                break;
            case 10:
                var pairs = r.Next(0, 4);
                w.WriteMapHeader(pairs);
                for (var i = 0; i < pairs; i++)
                {
                    // Keys of any type too: the contracts expect strings.
                    Any(ref w, r, depth + 2);
                    Any(ref w, r, depth + 1);
                }

                break;
            default:
                w.Write(EdgeStrings[r.Next(EdgeStrings.Length)]);
                break;
        }
    }

    /// <summary>Arrays or maps nested <paramref name="levels"/> deep (the decoder's limit for untrusted data is 500).</summary>
    public static void Deep(ref MessagePackWriter w, int levels, Random r)
    {
        var maps = r.Next(2) == 0;
        for (var i = 0; i < levels; i++)
        {
            if (maps)
            {
                w.WriteMapHeader(1);
                w.Write("k");
            }
            else
            {
                w.WriteArrayHeader(1);
            }
        }

        w.WriteNil();
    }

    /// <summary>A container or string that is really large, or whose header promises far more than follows.</summary>
    public static void Huge(ref MessagePackWriter w, Random r)
    {
        switch (r.Next(5))
        {
            case 0:
                // A real one: up to 30,000 one-byte elements still fits in a frame.
                var count = r.Next(1000, 30_000);
                w.WriteArrayHeader(count);
                for (var i = 0; i < count; i++)
                {
                    w.Write(i % 128);
                }

                break;
            case 1:
                var pairs = r.Next(1000, 10_000);
                w.WriteMapHeader(pairs);
                for (var i = 0; i < pairs; i++)
                {
                    w.Write(i.ToString("x"));
                    w.WriteNil();
                }

                break;
            case 2: w.WriteArrayHeader(uint.MaxValue - (uint)r.Next(100)); break;
            case 3: w.WriteMapHeader(uint.MaxValue - (uint)r.Next(100)); break;
            default:
                // A str or bin header announcing up to 4 GiB, then a few bytes.
                w.WriteRaw(r.Next(2) == 0 ? [0xDB, 0x7F, 0xFF, 0xFF, 0xFF, 0x61] : [0xC6, 0xFF, 0xFF, 0xFF, 0xF0, 0x00]);
                break;
        }
    }

    private static string RandomString(Random r, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // Mostly printable ASCII, sometimes any UTF-16 unit (lone surrogates included).
            chars[i] = r.Next(8) == 0 ? (char)r.Next(0, 0x10000) : (char)r.Next(0x20, 0x7F);
        }

        return new string(chars);
    }
}
