namespace ImActors.Grains.Interfaces.Messages;

/// <summary>
/// Content types the server itself writes into logs. Their bodies are UTF-8 JSON so that any client can
/// read them; docs/protocol.md describes the fields.
/// </summary>
public static class SystemContentTypes
{
    /// <summary>A group membership change (created, added, removed, joined, left, role, muted, unmuted, owner, dissolved).</summary>
    public const string GroupEvent = "application/vnd.imactors.group-event+json";

    /// <summary>A message was recalled: the body names the seq it had in this log.</summary>
    public const string Recall = "application/vnd.imactors.recall+json";

    /// <summary>What a recalled message's entry becomes: no body, same id, seq and sender.</summary>
    public const string Tombstone = "application/vnd.imactors.recalled";

    /// <summary>True for content types clients may not send themselves.</summary>
    public static bool IsReserved(string contentType) =>
        contentType.StartsWith("application/vnd.imactors.", StringComparison.OrdinalIgnoreCase);
}
