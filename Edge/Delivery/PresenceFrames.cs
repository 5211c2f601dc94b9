using ImActors.Grains.Interfaces.Presence;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Delivery;

/// <summary>The one place a user's presence becomes a wire frame (a push, or an item of a result).</summary>
public static class PresenceFrames
{
    public static PresenceFrame From(UserPresence p) => new()
    {
        User = p.User,
        Online = p.Online,
        LastSeen = p.LastSeen?.ToUnixTimeMilliseconds() ?? 0,
        Devices = p.Devices.Select(d => new DeviceItem { Device = d.Device, Platform = d.Platform, Since = d.ConnectedSince.ToUnixTimeMilliseconds() }).ToArray(),
    };
}
