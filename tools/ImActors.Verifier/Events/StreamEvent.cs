namespace ImActors.Verifier.Events;

/// <summary>
/// The fields of an event (docs/api.md, "Events") the audit reads, as a webhook posts them: camelCase JSON, fields that do
/// not apply left out. The verifier keeps its own copy of the shape, as any receiver outside the project would.
/// </summary>
public sealed record StreamEvent(
    string Id,
    string Type,
    long Time,
    string? User = null,
    string? From = null,
    string? Group = null,
    string? MessageId = null,
    long? Seq = null,
    long? SenderSeq = null)
{
    public const string MessageStored = "message.stored";
}
