using ImActors.Grains.Interfaces.Messages;
using ImActors.Protocol.Frames;

namespace ImActors.Edge.Dispatch;

/// <summary>
/// Checks of a request's fields that every family shares. A field out of range throws, inside the request's call,
/// so that it is answered like a refusal from a grain: invalid_request, with the rid.
/// </summary>
internal static class RequestFields
{
    private const int DefaultPage = 100;

    public static long Seq(RequestFrame r) => r.Seq >= 1 ? r.Seq : throw Invalid("seq must be 1 or more");

    public static int Limit(RequestFrame r, int max) =>
        r.Limit == 0 ? Math.Min(DefaultPage, max) : r.Limit >= 1 && r.Limit <= max ? r.Limit : throw Invalid($"limit must be 1-{max}");

    public static RefusedException Invalid(string reason) => new(Refusal.InvalidRequest, reason);

    public static RefusedException UnknownOp(string? op) => Invalid($"unknown op \"{op}\"; see the protocol's list of request ops");
}
