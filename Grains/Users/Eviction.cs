using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Users;

/// <summary>A session to close, with the closing code and the reason its device is told.</summary>
public readonly record struct Eviction(SessionInfo Session, int Code, string Reason)
{
    // Equal to the wire protocol's closing codes (the grains do not reference the protocol library; a test holds them equal).
    public const int KickedCode = 410;
    public const int BannedCode = 448;
    public const int RevokedCode = 414;

    public static Eviction Kicked(SessionInfo session, string reason) => new(session, KickedCode, reason);

    public static Eviction Banned(SessionInfo session, string reason) => new(session, BannedCode, reason);

    public static Eviction Revoked(SessionInfo session, string reason) => new(session, RevokedCode, reason);
}
