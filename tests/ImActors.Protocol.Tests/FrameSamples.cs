using System.Collections;
using System.Reflection;
using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Protocol.Tests;

/// <summary>One body per frame kind, every field set to something other than its default.</summary>
internal static class FrameSamples
{
    public static TheoryData<FrameKind> AllKinds => new(Enum.GetValues<FrameKind>());

    public static object For(FrameKind kind) => kind switch
    {
        FrameKind.Hello => new HelloFrame { Token = "tok.en", Device = "phone-1", Platform = "ios", Versions = [1, 2] },
        FrameKind.Welcome => new WelcomeFrame
        {
            Version = 1, Session = "s-1", User = "alice", ServerTime = 1_700_000_000_000,
            HeartbeatMs = 15_000, InboxSeq = 41, MaxFrameBytes = 65_536,
        },
        FrameKind.Send => new SendFrame { ClientMessageId = "c-1", To = "bob", ContentType = "image/png", Body = [0, 1, 255] },
        FrameKind.Ack => new AckFrame { ClientMessageId = "c-1", MessageId = "m-1", Seq = 7, Timestamp = 1_700_000_000_001, Duplicate = true },
        FrameKind.Error => new ErrorFrame
        {
            Code = ErrorCodes.Unavailable, Name = "unavailable", Reason = "try later", Retryable = true, ClientMessageId = "c-2",
        },
        FrameKind.Message => Message(8),
        FrameKind.Delivered => new DeliveredFrame { UpTo = long.MaxValue },
        FrameKind.Sync => new SyncFrame { After = 12, Limit = 3 },
        FrameKind.SyncPage => new SyncPageFrame { Messages = [Message(13), Message(14)], HasMore = true, InboxSeq = 99 },
        FrameKind.Ping => new PingFrame { T = -5 },
        FrameKind.Pong => new PongFrame { T = long.MinValue },
        FrameKind.Closing => new ClosingFrame { Code = ErrorCodes.HeartbeatTimeout, Reason = "silent" },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "add a sample for the new frame kind"),
    };

    public static MessageFrame Message(long seq) => new()
    {
        Id = $"m-{seq}", Seq = seq, From = "bob", To = "alice", Timestamp = 1_700_000_000_000 + seq,
        ContentType = "application/json", Body = "{\"é\":1}"u8.ToArray(),
    };

    /// <summary>Encodes with the body's static type, as the edge and the client do.</summary>
    public static byte[] Encode(FrameKind kind, object body) => body switch
    {
        HelloFrame b => FrameEncoder.Encode(kind, b),
        WelcomeFrame b => FrameEncoder.Encode(kind, b),
        SendFrame b => FrameEncoder.Encode(kind, b),
        AckFrame b => FrameEncoder.Encode(kind, b),
        ErrorFrame b => FrameEncoder.Encode(kind, b),
        MessageFrame b => FrameEncoder.Encode(kind, b),
        DeliveredFrame b => FrameEncoder.Encode(kind, b),
        SyncFrame b => FrameEncoder.Encode(kind, b),
        SyncPageFrame b => FrameEncoder.Encode(kind, b),
        PingFrame b => FrameEncoder.Encode(kind, b),
        PongFrame b => FrameEncoder.Encode(kind, b),
        ClosingFrame b => FrameEncoder.Encode(kind, b),
        _ => throw new ArgumentException($"no encoder for {body.GetType().Name}", nameof(body)),
    };

    /// <summary>Compares every public property, recursing into arrays and nested frames.</summary>
    public static void AssertSameFields(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null || expected is string || expected.GetType().IsPrimitive)
        {
            Assert.True(Equals(expected, actual), $"{path}: expected <{expected}>, got <{actual}>");
            return;
        }

        Assert.Equal(expected.GetType(), actual.GetType());
        if (expected is IList expectedList)
        {
            var actualList = (IList)actual;
            Assert.True(expectedList.Count == actualList.Count, $"{path}: expected {expectedList.Count} items, got {actualList.Count}");
            for (var i = 0; i < expectedList.Count; i++)
            {
                AssertSameFields(expectedList[i], actualList[i], $"{path}[{i}]");
            }

            return;
        }

        foreach (var property in Properties(expected))
        {
            AssertSameFields(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    /// <summary>Asserts no field of a sample is left at its default, so a round trip really tests it.</summary>
    public static void AssertNoDefaults(object value, string path)
    {
        foreach (var property in Properties(value))
        {
            var field = property.GetValue(value);
            var where = $"{path}.{property.Name}";
            switch (field)
            {
                case null:
                case string { Length: 0 }:
                case bool b when !b:
                case int i when i == 0:
                case long l when l == 0:
                    Assert.Fail($"{where} is left at its default");
                    break;
                case IList { Count: 0 }:
                    Assert.Fail($"{where} is empty");
                    break;
                case IList list:
                    foreach (var item in list.OfType<object>().Where(item => !item.GetType().IsPrimitive))
                    {
                        AssertNoDefaults(item, where + "[]");
                    }

                    break;
            }
        }
    }

    private static IEnumerable<PropertyInfo> Properties(object value) =>
        value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance);
}
