using System.Buffers;
using System.Text;
using ImActors.Bench.Load;
using ImActors.Bench.Targets.Mqtt;

namespace ImActors.Bench.Tests;

/// <summary>The generator finds a message's stamp in what each MQTT server pushes.</summary>
public sealed class MqttDialectTests
{
    private static readonly byte[] Body = MessageStamp.Create(100, scheduledTimestamp: 0x0102030405060708, measured: true);

    [Fact]
    public void ImActorsPush_WithTheBodyAsBase64_GivesTheStamp()
    {
        var push = Envelope("alice", $"\"bodyBase64\":\"{Convert.ToBase64String(Body)}\"");

        Assert.Equal(Body[..MessageStamp.MinSize], Stamp(MqttDialect.ImActors, push, "bob"));
    }

    [Fact]
    public void ImActorsPush_WhoseBodyWasValidUtf8_ArrivesAsText_AndStillGivesTheStamp()
    {
        // A stamp whose bytes happen to be UTF-8 was sent as text/plain: the edge pushes it as a JSON string.
        var text = MessageStamp.Create(20, scheduledTimestamp: 0x0011223344556677, measured: true);
        var push = Envelope("alice", $"\"body\":\"{string.Concat(Encoding.UTF8.GetString(text).Select(c => $"\\u{(int)c:x4}"))}\"");

        Assert.Equal(text[..MessageStamp.MinSize], Stamp(MqttDialect.ImActors, push, "bob"));
    }

    [Fact]
    public void ImActorsPush_OfTheUsersOwnSend_IsNotADelivery() =>
        Assert.Null(Stamp(MqttDialect.ImActors, Envelope("bob", $"\"bodyBase64\":\"{Convert.ToBase64String(Body)}\""), "bob"));

    [Fact]
    public void BrokerPush_IsTheBodyAsSent()
    {
        Assert.Equal("im/u/bob", MqttDialect.Broker.SendTopic("bob"));
        Assert.Equal("im/send/u/bob", MqttDialect.ImActors.SendTopic("bob"));
        Assert.Equal(Body[..MessageStamp.MinSize], Stamp(MqttDialect.Broker, Body, "bob"));
    }

    private static byte[] Envelope(string from, string body) => Encoding.UTF8.GetBytes(
        $"{{\"id\":\"m1\",\"seq\":7,\"from\":\"{from}\",\"to\":\"bob\",\"ts\":1764640000000,\"contentType\":\"application/octet-stream\",{body}}}");

    private static byte[]? Stamp(MqttDialect dialect, byte[] payload, string self)
    {
        var stamp = new byte[MessageStamp.MinSize];
        return dialect.TryReadStamp(new ReadOnlySequence<byte>(payload), Encoding.UTF8.GetBytes(self), stamp) ? stamp : null;
    }
}
