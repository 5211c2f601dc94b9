using System.Text;
using ImActors.Edge.Calls;
using ImActors.Edge.Dispatch;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Groups;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Rules;
using ImActors.Grains.Interfaces.Users;
using ImActors.Protocol.Frames;
using Microsoft.Extensions.Options;

namespace ImActors.Edge.Admin;

/// <summary>
/// <c>POST /api/v1/messages</c>: a message from a user, or from the system, to a user or a group, stored and pushed as a
/// client's send is. From the system to a user it is the recipient's copy only (<see cref="IUserGrain.SendFromSystem"/>).
/// </summary>
public static class MessagesApi
{
    /// <param name="From">The sending user; null for the system.</param>
    /// <param name="Cmid">The sender's id for this message: a retry with the same one stores nothing new and returns the first answer.</param>
    /// <param name="Text">A UTF-8 text body; or give <paramref name="Body"/>, base64, never both.</param>
    public sealed record SendMessage(
        string? From, string? To, string? Group, string? Cmid, string? ContentType, string? Text, string? Body);

    /// <param name="Seq">1:1: the message's seq in the sender's inbox (from the system: in the recipient's); group: in the group's timeline.</param>
    /// <param name="PeerSeq">1:1: the seq in the recipient's inbox; group: equal to <paramref name="Seq"/>.</param>
    public sealed record Sent(string Id, string Cmid, long Seq, long PeerSeq, long Ts, bool Duplicate);

    public static void MapMessages(this RouteGroupBuilder api)
    {
        api.MapPost("/messages", SendAsync)
            .WithName("sendMessage")
            .WithSummary("Send a message as a user or as the system (no from), to a user or a group")
            .Produces<Sent>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> SendAsync(SendMessage message, GrainRefs grains, AdminCalls calls, IOptions<EdgeSettings> settings)
    {
        ApiInput.Require((message.To is null) != (message.Group is null), "to", "name exactly one of to (a user id) and group (a group id)");
        var to = ApiInput.OptionalId(message.To, "to");
        var group = ApiInput.OptionalId(message.Group, "group");
        var from = ApiInput.OptionalId(message.From, "from");
        var cmid = ApiInput.Id(message.Cmid, "cmid");
        var contentType = message.ContentType ?? ContentTypes.Text;
        ApiInput.Require(contentType.Length is > 0 and <= SendHandler.MaxContentTypeLength, "contentType",
            $"contentType must be 1-{SendHandler.MaxContentTypeLength} characters");
        ApiInput.Require(!SystemContentTypes.IsReserved(contentType), "contentType", "content types application/vnd.imactors.* are written by the server only");
        var body = Body(message, settings.Value.MaxFrameBytes);

        if (to is not null)
        {
            var recipient = grains.Get<IUserGrain>(to);
            return await calls.RunAsync(
                () => from is null
                    ? recipient.SendFromSystem(new SystemSendRequest(cmid, contentType, body))
                    : recipient.Send(new SendRequest(from, "", cmid, to, contentType, body)),
                CallPolicy.Retried,
                sent => Results.Ok(new Sent(sent.MessageId, cmid, sent.Seq, sent.RecipientSeq, sent.Timestamp, sent.Duplicate)));
        }

        var actor = from is null ? Actor.System : Actor.OfUser(from);
        return await calls.RunAsync(
            () => grains.Get<IGroupGrain>(group!).Send(new GroupSendRequest(actor, null, cmid, contentType, body)), CallPolicy.Retried,
            sent => Results.Ok(new Sent(sent.MessageId, cmid, sent.Seq, sent.Seq, sent.Timestamp, sent.Duplicate)));
    }

    private static byte[] Body(SendMessage message, int maxBytes)
    {
        ApiInput.Require((message.Text is null) != (message.Body is null), "text", "give exactly one of text (UTF-8) and body (base64)");
        byte[] body;
        if (message.Text is not null)
        {
            body = Encoding.UTF8.GetBytes(message.Text);
        }
        else
        {
            try
            {
                body = Convert.FromBase64String(message.Body!);
            }
            catch (FormatException)
            {
                throw new ApiInputException("body", "body must be base64");
            }
        }

        // The same bound as a client's send frame, so no service can store what no client could read back in a frame.
        ApiInput.Require(body.Length <= maxBytes, message.Text is not null ? "text" : "body", $"the body must be at most {maxBytes} bytes");
        return body;
    }
}
