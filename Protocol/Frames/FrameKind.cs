namespace ImActors.Protocol.Frames;

/// <summary>
/// The first element of every frame's envelope. Numbers are part of the wire format: never renumber.
/// </summary>
public enum FrameKind
{
    Hello = 1,
    Welcome = 2,
    Send = 3,
    Ack = 4,
    Error = 5,
    Message = 6,
    Delivered = 7,
    Sync = 8,
    SyncPage = 9,
    Ping = 10,
    Pong = 11,
    Closing = 12,
    Request = 13,
    Result = 14,
    Typing = 15,
    ReadState = 16,
    Receipt = 17,
    Presence = 18,
    Reauth = 20,
    Reauthed = 21,
    Refresh = 22,
    Refreshed = 23,
}
