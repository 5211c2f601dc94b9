using System.Text;

namespace ImActors.Grains.Events;

/// <summary>
/// Redis Cluster's hash slots: the slot of a hash tag, and for every slot a short tag that hashes to it, so that an
/// outbox list can be named into the slot of the keys whose step writes it (decision 109).
/// </summary>
internal static class SlotTags
{
    public const int Slots = 16384;

    private static readonly Lazy<string[]> s_tags = new(FindTags);

    /// <summary>The slot of keys hash-tagged with <paramref name="tag"/> (<c>{tag}</c>): CRC16/XMODEM mod 16,384, as Redis Cluster computes it.</summary>
    public static int SlotOf(string tag)
    {
        ushort crc = 0;
        foreach (var b in Encoding.UTF8.GetBytes(tag))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % Slots;
    }

    /// <summary>A tag whose keys live in <paramref name="slot"/>: the first base-36 number that hashes there.</summary>
    public static string TagOf(int slot) => s_tags.Value[slot];

    // About 170,000 CRCs (a few milliseconds), once per process.
    private static string[] FindTags()
    {
        var tags = new string?[Slots];
        var left = Slots;
        for (long n = 0; left > 0; n++)
        {
            var tag = ToBase36(n);
            var slot = SlotOf(tag);
            if (tags[slot] is null)
            {
                tags[slot] = tag;
                left--;
            }
        }

        return tags!;
    }

    private static string ToBase36(long n)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(n % 36)]);
            n /= 36;
        }
        while (n > 0);
        return text.ToString();
    }
}
