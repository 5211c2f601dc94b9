using System.Text;
using ImActors.Grains.Interfaces.Events;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Users;
using Microsoft.Extensions.Logging;

namespace ImActors.Samples.NotificationService;

/// <summary>
/// The sample's business rule: a user who comes online gets a system message saying so. The message's cmid is made from
/// the event's id, so an event handled twice (after a restart lost the remembered ids) still stores one message.
/// </summary>
public sealed class WelcomeBack(IClusterClient client, ILogger<WelcomeBack> logger) : IEventHandler
{
    public const string ContentType = "text/plain";

    public async Task HandleAsync(ImEvent e)
    {
        if (e.Type != EventTypes.UserOnline || e.User is not { } user)
        {
            return;
        }

        var body = Encoding.UTF8.GetBytes($"welcome back, {user}");
        var sent = await client.GetGrain<IUserGrain>(user).SendFromSystem(new SystemSendRequest("welcome-" + e.Id, ContentType, body));
        logger.LogInformation("Welcomed {UserId} (message {MessageId}, seq {Seq})", user, sent.MessageId, sent.Seq);
    }
}
