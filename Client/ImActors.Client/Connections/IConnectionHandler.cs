using ImActors.Protocol.Frames;
using ImActors.Protocol.Framing;

namespace ImActors.Client.Connections;

/// <summary>
/// What the <see cref="ConnectionSupervisor"/> tells the rest of the client. Called from the supervisor's loop,
/// one call at a time, so what these calls touch needs no locks against each other.
/// </summary>
internal interface IConnectionHandler
{
    /// <summary>How far the inbox has been handed to the application: reported by the heartbeat.</summary>
    long DeliveredUpTo { get; }

    /// <summary>A connection was welcomed; nothing has been sent on it yet.</summary>
    void OnWelcome(WelcomeFrame welcome);

    /// <summary>The welcomed connection is up: catch up, and send again what is still unanswered. Frames are read once this returns.</summary>
    Task OnConnectedAsync(Connection connection);

    /// <summary>
    /// One frame from the server, in the order they arrive. Throwing ends the connection: an
    /// <see cref="ImClientException"/> for good, anything else to reconnect.
    /// </summary>
    ValueTask OnFrameAsync(Connection connection, Frame frame);

    void OnConnectionChanged(ConnectionEvent change);

    /// <summary>The server refused the client for good (bad token, replaced, kicked): the supervisor has stopped.</summary>
    void OnRefused(ImClientException reason);
}
