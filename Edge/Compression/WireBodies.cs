using ImActors.Protocol.Compression;
using ImActors.Protocol.Frames;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Compression;

/// <summary>
/// How message bodies travel between this edge and its clients: whether a connection compresses (agreed at hello),
/// bodies of sends inflated before they are stored, and bodies of messages compressed for the connections that agreed.
/// Bodies are stored, pushed between silos and shown to services as they were written; only the last hop is
/// compressed (decision 105).
/// </summary>
public sealed class WireBodies(IOptions<CompressionSettings> settings, IOptions<EdgeSettings> edge)
{
    /// <summary>The compression a connection uses, from what its hello offered: "deflate" or "" (none).</summary>
    public string Agree(string[]? offered) =>
        settings.Value.Enabled && (offered ?? []).Contains(BodyCompression.Deflate) ? BodyCompression.Deflate : "";

    /// <summary>
    /// The body a send carries, as it is to be stored; or why it cannot be used. Inflated bodies are held to the frame
    /// limit, as uncompressed ones are: compression makes a send cheaper on the wire, not larger in the store.
    /// </summary>
    public bool TryOpen(SendFrame send, out byte[] body, out string refusal)
    {
        body = send.Body ?? [];
        refusal = "";
        if (BodyCompression.IsNone(send.Compression))
        {
            return true;
        }

        if (send.Compression != BodyCompression.Deflate || !settings.Value.Enabled)
        {
            refusal = settings.Value.Enabled
                ? $"unknown compression '{send.Compression}': only '{BodyCompression.Deflate}' is spoken"
                : "this edge does not take compressed bodies; send the body as it is";
            return false;
        }

        var max = edge.Value.MaxFrameBytes;
        switch (BodyCompression.TryInflate(body, max, out var inflated))
        {
            case InflateStatus.Inflated:
                body = inflated;
                return true;
            case InflateStatus.TooLarge:
                refusal = $"the body inflates past {max} bytes, the most a message may hold";
                return false;
            default:
                refusal = "the body is not a complete zlib (deflate) stream: malformed, cut short, or its checksum does not match";
                return false;
        }
    }

    /// <summary>The frame with its body compressed, when it is over the threshold and shrinks by a fifth; otherwise the frame as it is.</summary>
    public MessageFrame Compress(MessageFrame frame)
    {
        if (BodyCompression.TryCompress(frame.Body, settings.Value.Threshold) is { } compressed)
        {
            frame.Body = compressed;
            frame.Compression = BodyCompression.Deflate;
        }

        return frame;
    }
}
