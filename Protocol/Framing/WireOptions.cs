using MessagePack;

namespace ImActors.Protocol.Framing;

public static class WireOptions
{
    /// <summary>
    /// Input comes from untrusted peers: the untrusted-data mode bounds nesting depth and uses
    /// collision-resistant hashing for any map keys, so a crafted payload cannot exhaust the stack or CPU.
    /// </summary>
    public static readonly MessagePackSerializerOptions Instance =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);
}
