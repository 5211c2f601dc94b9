using ImActors.Edge.Calls;
using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Mqtt;

namespace ImActors.Edge.Mqtt;

/// <summary>
/// Where a <c>clean session = 0</c> connection's inbox cursor is kept between connections (<see cref="IMqttSessions"/>).
/// Saved at most once a second while the client acknowledges, and once more when the connection ends: a cursor saved
/// late only means some messages are published again, which QoS 1 allows; none is skipped.
/// </summary>
public sealed class MqttCursors(GrainRefs grains, ClusterCalls cluster)
{
    private static readonly long SaveEveryMs = 1000;

    /// <summary>The cursor to resume after: the saved one, or <paramref name="inboxSeq"/> (the inbox's end) for a clean or new session.</summary>
    internal async Task<CallResult<long>> ResumePointAsync(string user, string device, bool cleanSession, long inboxSeq)
    {
        var sessions = grains.Get<IMqttSessions>(user);
        if (cleanSession)
        {
            cluster.FireAndForget(() => sessions.Clear(device));
            return CallResultOf(inboxSeq);
        }

        var saved = await cluster.TryAsync(() => sessions.Cursor(device), CallPolicy.Retried);
        return saved.Error is not null || saved.Value >= 0 ? saved : CallResultOf(inboxSeq);
    }

    /// <summary>Saves a moved cursor unless one was saved within the last second, or <paramref name="now"/> is said.</summary>
    internal void Save(MqttSession session, bool now = false)
    {
        if (session.Connect.CleanSession || session.User is not { } user)
        {
            return;
        }

        var at = Environment.TickCount64;
        if (!now && at - session.SavedAtMs < SaveEveryMs)
        {
            return;
        }

        if (session.CursorToSave() is { } cursor)
        {
            session.SavedAtMs = at;
            cluster.FireAndForget(() => grains.Get<IMqttSessions>(user).Save(session.Connect.ClientId, cursor));
        }
    }

    private static CallResult<long> CallResultOf(long value) => CallResult<long>.Succeeded(value);
}
