using ImActors.Grains.Interfaces.Users;

namespace ImActors.Grains.Interfaces.Messages;

/// <summary>
/// A 1:1 message from the system (a business service, no sending user), handed to the recipient's
/// <see cref="IUserGrain.SendFromSystem"/>. It is stored in the recipient's inbox only, with <c>from: ""</c>.
/// </summary>
/// <param name="ClientMessageId">Chosen by the service, under the id rule; a retry with the same id within the dedup window
/// stores nothing new and returns the first answer. The system's ids are a space of their own: a user's send with the same
/// id is another message.</param>
/// <param name="ContentType">1-100 characters, not one of the server's <c>application/vnd.imactors.*</c>.</param>
/// <param name="Body">The content, opaque to the server; keep it within the edge's frame limit so that clients can read it.</param>
[GenerateSerializer, Immutable, Alias("imactors.SystemSendRequest")]
public sealed record SystemSendRequest(
    [property: Id(0)] string ClientMessageId,
    [property: Id(1)] string ContentType,
    [property: Id(2)] byte[] Body);
