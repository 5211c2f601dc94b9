namespace ImActors.Grains.Interfaces.Mqtt;

/// <summary>
/// What an MQTT session with <c>clean session = 0</c> keeps between connections (key: the user id): per device (the
/// MQTT client id), the inbox seq up to which the device acknowledged every QoS 1 publish. A reconnect resumes the
/// inbox after it (decision 117). Edges only.
/// </summary>
[Alias("imactors.IMqttSessions")]
public interface IMqttSessions : IGrainWithStringKey
{
    /// <summary>The saved cursor of <paramref name="device"/>, or -1 when it has none (a first connection, or a clean session).</summary>
    [Alias("Cursor")]
    Task<long> Cursor(string device);

    /// <summary>Saves the cursor; a lower one than saved is ignored (acknowledgements may be saved out of order).</summary>
    [Alias("Save")]
    Task Save(string device, long upTo);

    /// <summary>Forgets the device's session: a <c>clean session = 1</c> connection starts afresh.</summary>
    [Alias("Clear")]
    Task Clear(string device);
}
