namespace ImActors.Edge.Mqtt;

/// <summary>MQTT 3.1.1 control packet types (the high nibble of the first byte). 0 and 15 are reserved.</summary>
public enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

/// <summary>CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3).</summary>
public static class ConnAckCodes
{
    public const byte Accepted = 0;
    public const byte UnacceptableProtocolVersion = 1;
    public const byte IdentifierRejected = 2;
    public const byte ServerUnavailable = 3;
    public const byte BadUserNameOrPassword = 4;
    public const byte NotAuthorized = 5;
}

/// <summary>A packet from a client, decoded. Only the packets a client may send have a type here.</summary>
public abstract record MqttPacket;

/// <param name="ProtocolLevel">4 for MQTT 3.1.1; anything else is answered with CONNACK 1.</param>
public sealed record ConnectPacket(
    string ProtocolName, byte ProtocolLevel, bool CleanSession, ushort KeepAliveSeconds, string ClientId, string? UserName, byte[]? Password,
    bool HasWill) : MqttPacket;

/// <param name="PacketId">0 for QoS 0, which carries none.</param>
public sealed record PublishPacket(string Topic, byte QoS, bool Dup, bool Retain, ushort PacketId, byte[] Payload) : MqttPacket;

public sealed record PubAckPacket(ushort PacketId) : MqttPacket;

public sealed record SubscribePacket(ushort PacketId, IReadOnlyList<(string Filter, byte QoS)> Filters) : MqttPacket;

public sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket;

public sealed record PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();
}

public sealed record DisconnectPacket : MqttPacket
{
    public static readonly DisconnectPacket Instance = new();
}

/// <summary>
/// What MQTT calls a protocol violation: the server closes the network connection without a reply (3.1.1 section 4.8).
/// The reason goes to the log only; MQTT 3.1.1 has no way to tell the client.
/// </summary>
public sealed class MqttProtocolException(string reason) : Exception(reason);
