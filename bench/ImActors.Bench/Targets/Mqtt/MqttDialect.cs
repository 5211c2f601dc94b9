using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace ImActors.Bench.Targets.Mqtt;

/// <summary>
/// What differs between speaking MQTT to ImActors and to a plain broker: the topic a 1:1 message is published to, and
/// what a delivered PUBLISH carries. Both subscribe to <c>im/u/{self}</c> at QoS 1, so one client and one load serve both.
/// </summary>
public abstract class MqttDialect
{
    /// <summary>ImActors (docs/mqtt.md): publish to <c>im/send/u/{to}</c>; a push is a JSON envelope around the body.</summary>
    public static readonly MqttDialect ImActors = new ImActorsDialect();

    /// <summary>A broker such as mosquitto: publish straight to the recipient's topic; a push is the body as sent.</summary>
    public static readonly MqttDialect Broker = new BrokerDialect();

    public static string InboxTopic(string user) => "im/u/" + user;

    public abstract string SendTopic(string to);

    /// <summary>
    /// The first <see cref="Load.MessageStamp.MinSize"/> bytes of the delivered body, or false for a PUBLISH that is not
    /// someone else's message (ImActors also pushes the sender's own copies to its other devices). <paramref name="self"/> is
    /// the connection's user name in UTF-8.
    /// </summary>
    public abstract bool TryReadStamp(ReadOnlySequence<byte> payload, ReadOnlySpan<byte> self, Span<byte> stamp);

    private sealed class BrokerDialect : MqttDialect
    {
        public override string SendTopic(string to) => InboxTopic(to);

        public override bool TryReadStamp(ReadOnlySequence<byte> payload, ReadOnlySpan<byte> self, Span<byte> stamp)
        {
            if (payload.Length < stamp.Length)
            {
                return false;
            }

            payload.Slice(0, stamp.Length).CopyTo(stamp);
            return true;
        }
    }

    private sealed class ImActorsDialect : MqttDialect
    {
        public override string SendTopic(string to) => "im/send/u/" + to;

        // A body that is not UTF-8 arrives as "bodyBase64": twelve base64 characters are the stamp's nine bytes, and only
        // those are decoded. A body whose random stamp happens to be valid UTF-8 (a few percent of them) was sent as
        // text/plain and arrives as the JSON string "body".
        public override bool TryReadStamp(ReadOnlySequence<byte> payload, ReadOnlySpan<byte> self, Span<byte> stamp)
        {
            var reader = new Utf8JsonReader(payload);
            var fromSelf = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("from"u8))
                {
                    reader.Read();
                    fromSelf = reader.ValueTextEquals(self);
                }
                else if (reader.ValueTextEquals("bodyBase64"u8))
                {
                    reader.Read();
                    var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                    var need = (stamp.Length + 2) / 3 * 4;
                    Span<byte> decoded = stackalloc byte[need / 4 * 3];
                    if (fromSelf || text.Length < need || Base64.DecodeFromUtf8(text[..need], decoded, out _, out _, isFinalBlock: false) != OperationStatus.Done)
                    {
                        return false;
                    }

                    decoded[..stamp.Length].CopyTo(stamp);
                    return true;
                }
                else if (reader.ValueTextEquals("body"u8))
                {
                    reader.Read();
                    var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    var text = length <= 1024 ? stackalloc byte[length] : new byte[length];
                    var written = reader.CopyString(text);
                    if (fromSelf || written < stamp.Length)
                    {
                        return false;
                    }

                    text[..stamp.Length].CopyTo(stamp);
                    return true;
                }
                else
                {
                    reader.Skip();
                }
            }

            return false;
        }
    }
}
