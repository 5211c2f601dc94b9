using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Users;

/// <summary>What a ban must carry. The reason reaches the user's devices in a closing frame and an error frame.</summary>
public static class BanRules
{
    public static string RequireReason(string? reason) =>
        !string.IsNullOrWhiteSpace(reason) && reason.Length <= BanInfo.MaxReasonLength
            ? reason
            : throw new RefusedException(Refusal.InvalidRequest, $"reason must be 1-{BanInfo.MaxReasonLength} characters, not blank");
}
