using System.Text.Json;

namespace ImActors.Grains.Inbox;

/// <summary>The JSON body of a recall event: <c>{"seq": recalled seq in this log, "by": who recalled it}</c>.</summary>
internal static class RecallBody
{
    public static byte[] Encode(long seq, string by) => JsonSerializer.SerializeToUtf8Bytes(new { seq, by });
}
