using System.Buffers;
using MessagePack;

namespace ImActors.Fuzz.Inputs;

/// <summary>
/// Makes the fuzzer's inputs: frame payloads (<c>[kind, body]</c>, no length prefix). Input <c>i</c> of a seed depends on
/// the seed and <c>i</c> alone, so any input a run reports is made again with <c>--seed S --from i --count 1</c>.
/// </summary>
public sealed class InputGenerator(int seed)
{
    /// <summary>How each input is made. Most start from a well-formed frame, so they get past the envelope.</summary>
    public enum Strategy
    {
        Valid,
        WrongType,
        DeepNesting,
        Huge,
        Truncated,
        BytesChanged,
        BadEnvelope,
        RandomBytes,
    }

    private static readonly Strategy[] Weighted =
    [
        Strategy.Valid, Strategy.Valid, Strategy.WrongType, Strategy.WrongType, Strategy.WrongType, Strategy.DeepNesting,
        Strategy.Huge, Strategy.Truncated, Strategy.Truncated, Strategy.BytesChanged, Strategy.BytesChanged, Strategy.BadEnvelope,
        Strategy.RandomBytes,
    ];

    private static readonly int[] Kinds = [.. FrameSchema.Bodies.Keys];

    public (Strategy Strategy, byte[] Payload) Make(long index)
    {
        var r = new Random(HashCode.Combine(seed, index));
        var strategy = Weighted[r.Next(Weighted.Length)];
        return (strategy, strategy switch
        {
            Strategy.Valid => Frame(r, Wrong.None),
            Strategy.WrongType => Frame(r, Wrong.Type),
            Strategy.DeepNesting => Frame(r, Wrong.Deep),
            Strategy.Huge => Frame(r, Wrong.Huge),
            Strategy.Truncated => Truncate(Frame(r, Wrong.None), r),
            Strategy.BytesChanged => Change(Frame(r, Wrong.None), r),
            Strategy.BadEnvelope => Envelope(r),
            _ => RandomBytes(r),
        });
    }

    private enum Wrong
    {
        None,
        Type,
        Deep,
        Huge,
    }

    private static byte[] Frame(Random r, Wrong wrong)
    {
        var kind = Kinds[r.Next(Kinds.Length)];
        var fields = FrameSchema.FieldsOf(FrameSchema.Bodies[kind]);
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(2);
        w.Write(kind);
        if (wrong is Wrong.Deep or Wrong.Huge && (fields.Length == 0 || r.Next(4) == 0))
        {
            // The body itself, not one of its fields.
            Container(ref w, wrong, r);
        }
        else if (wrong is Wrong.Deep or Wrong.Huge)
        {
            var target = r.Next(fields.Length);
            w.WriteMapHeader(fields.Length);
            for (var i = 0; i < fields.Length; i++)
            {
                w.Write(fields[i].Key);
                if (i == target)
                {
                    Container(ref w, wrong, r);
                }
                else
                {
                    ValueWriter.Valid(ref w, fields[i].Type, r, 0);
                }
            }
        }
        else
        {
            ValueWriter.Map(ref w, fields, r, 0, wrong == Wrong.Type && fields.Length > 0 ? r.Next(fields.Length) : -1);
        }

        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Container(ref MessagePackWriter w, Wrong wrong, Random r)
    {
        if (wrong == Wrong.Deep)
        {
            ValueWriter.Deep(ref w, r.Next(2) == 0 ? r.Next(2, 600) : r.Next(600, 20_000), r);
        }
        else
        {
            ValueWriter.Huge(ref w, r);
        }
    }

    private static byte[] Truncate(byte[] frame, Random r) => frame[..r.Next(0, frame.Length)];

    private static byte[] Change(byte[] frame, Random r)
    {
        var changes = r.Next(1, 9);
        for (var i = 0; i < changes && frame.Length > 0; i++)
        {
            var at = r.Next(frame.Length);
            frame[at] = r.Next(3) switch
            {
                0 => (byte)r.Next(256),
                // Type bytes that make lengths and counts large.
                1 => new byte[] { 0xDC, 0xDD, 0xDE, 0xDF, 0xDB, 0xC6, 0xC9, 0xC1, 0xFF }[r.Next(9)],
                _ => (byte)(frame[at] ^ (1 << r.Next(8))),
            };
        }

        return frame;
    }

    /// <summary>Everything but the body wrong: the array's length, the kind's type, what follows the body.</summary>
    private static byte[] Envelope(Random r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        var shape = r.Next(6);
        w.WriteArrayHeader(shape == 0 ? r.Next(0, 2) : shape == 1 ? r.Next(3, 6) : 2);
        if (shape == 2)
        {
            ValueWriter.Any(ref w, r, 0);
        }
        else
        {
            w.Write(shape == 3 ? (long)int.MaxValue + r.Next(1, 100) : r.Next(-5, 30));
        }

        if (shape == 4)
        {
            ValueWriter.Any(ref w, r, 0);
        }
        else
        {
            w.WriteMapHeader(0);
        }

        if (shape == 5)
        {
            ValueWriter.Any(ref w, r, 0);
        }

        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] RandomBytes(Random r)
    {
        var bytes = new byte[r.Next(0, 257)];
        r.NextBytes(bytes);
        return bytes;
    }
}
