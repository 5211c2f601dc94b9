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
        FrameKind.Hello => new HelloFrame { Token = "tok.en", Device = "phone-1", Platform = "ios", Versions = [1, 2], Compression = ["deflate"] },
        FrameKind.Welcome => new WelcomeFrame
        {
            Version = 1, Session = "s-1", User = "alice", ServerTime = 1_700_000_000_000,
            HeartbeatMs = 15_000, InboxSeq = 41, MaxFrameBytes = 65_536, TokenExpiresAt = 1_700_003_600, Compression = "deflate",
        },
        // Codec samples set every field, even ones the server accepts only one of (to / group).
        FrameKind.Send => new SendFrame { ClientMessageId = "c-1", To = "bob", Group = "team", ContentType = "image/png", Body = [0, 1, 255], Compression = "deflate" },
        FrameKind.Ack => new AckFrame { ClientMessageId = "c-1", MessageId = "m-1", Seq = 7, Timestamp = 1_700_000_000_001, Duplicate = true, PeerSeq = 9 },
        FrameKind.Error => new ErrorFrame
        {
            Code = ErrorCodes.Unavailable, Name = "unavailable", Reason = "try later", Retryable = true, ClientMessageId = "c-2", RequestId = "r-2",
            RetryAfterMs = 250,
        },
        FrameKind.Message => Message(8),
        FrameKind.Delivered => new DeliveredFrame { UpTo = long.MaxValue },
        FrameKind.Sync => new SyncFrame { Group = "team", RequestId = "sync:team", After = 12, Limit = 3 },
        FrameKind.SyncPage => new SyncPageFrame { Group = "team", RequestId = "sync:team", Messages = [Message(13), Message(14)], HasMore = true, InboxSeq = 99, Floor = 4, Trimmed = 3 },
        FrameKind.Ping => new PingFrame { T = -5 },
        FrameKind.Pong => new PongFrame { T = long.MinValue },
        FrameKind.Closing => new ClosingFrame { Code = ErrorCodes.HeartbeatTimeout, Reason = "silent" },
        FrameKind.Request => new RequestFrame
        {
            RequestId = "r-1", Op = RequestOps.GroupAdd, Group = "team", Peer = "bob", Members = ["carol", "dave"], Member = "erin",
            Role = "admin", Muted = true, Open = true, Seq = 42, After = "carol", Limit = 50,
        },
        FrameKind.Result => new ResultFrame
        {
            RequestId = "r-1", Op = RequestOps.GroupInfo, Seq = 43, Changed = 2, Next = "dave", Read = 3, Total = 4,
            Group = new GroupItem { Id = "team", Owner = "alice", Open = true, MemberCount = 3, Seq = 43, MaxMembers = 100_000 },
            Members = [new MemberItem { User = "carol", Role = "admin", Muted = true, JoinedSeq = 2 }],
            Conversations =
            [
                new ConversationItem { Type = "group", Id = "team", LastSeq = 43, ReadSeq = 40, Unread = 3, PeerReadSeq = 1, FirstSeq = 1 },
            ],
            Presence = [Presence()],
            Users = ["carol", "dave"],
        },
        FrameKind.Typing => new TypingFrame { Peer = "bob", Group = "team", From = "alice" },
        FrameKind.ReadState => new ReadStateFrame { Peer = "bob", Group = "team", ReadSeq = 9, Unread = 2 },
        FrameKind.Receipt => new ReceiptFrame { Peer = "bob", Seq = 11 },
        FrameKind.Presence => Presence(),
        FrameKind.Reauth => new ReauthFrame { Token = "fresh.tok.en" },
        FrameKind.Reauthed => new ReauthedFrame { TokenExpiresAt = 1_700_007_200 },
        FrameKind.Refresh => new RefreshFrame { Token = "alice~phone~AAAAAAAAAAAAAAAAAAAAAA~1~secret" },
        FrameKind.Refreshed => new RefreshedFrame
        {
            AccessToken = "access.tok.en", TokenExpiresAt = 1_700_000_900, RefreshToken = "alice~phone~f~2~s", RefreshExpiresAt = 1_702_592_000,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "add a sample for the new frame kind"),
    };

    public static MessageFrame Message(long seq) => new()
    {
        Id = $"m-{seq}", Seq = seq, From = "bob", To = "alice", Timestamp = 1_700_000_000_000 + seq,
        ContentType = "application/json", Body = "{\"é\":1}"u8.ToArray(), Group = "team", Compression = "deflate",
    };

    public static PresenceFrame Presence() => new()
    {
        User = "bob", Online = true, LastSeen = 1_700_000_000_002, Devices = [new DeviceItem { Device = "phone", Platform = "ios", Since = 1_700_000_000_000 }],
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
        RequestFrame b => FrameEncoder.Encode(kind, b),
        ResultFrame b => FrameEncoder.Encode(kind, b),
        TypingFrame b => FrameEncoder.Encode(kind, b),
        ReadStateFrame b => FrameEncoder.Encode(kind, b),
        ReceiptFrame b => FrameEncoder.Encode(kind, b),
        PresenceFrame b => FrameEncoder.Encode(kind, b),
        ReauthFrame b => FrameEncoder.Encode(kind, b),
        ReauthedFrame b => FrameEncoder.Encode(kind, b),
        RefreshFrame b => FrameEncoder.Encode(kind, b),
        RefreshedFrame b => FrameEncoder.Encode(kind, b),
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
                    foreach (var item in list.OfType<object>().Where(item => !item.GetType().IsPrimitive && item is not string))
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
