namespace ImActors.Bench.Servers;

/// <summary>
/// Which system to load and whether the tool starts it (default) or attaches to running processes; read from the
/// command line by <see cref="Cli.CommonOptions"/>.
/// </summary>
/// <param name="Settings">
/// Configuration given to every ImActors process the tool starts, as <c>Section:Key=value</c> (each becomes
/// <c>--Section:Key value</c> on its command line): the target's own, then those of <c>--server-config</c>.
/// </param>
/// <param name="KeepData">Leave the started servers' data directory (store files, logs) in place for a look afterwards.</param>
/// <param name="Store">The store of a silo-and-edges target the tool starts (the embedded one unless the target names Redis).</param>
public sealed record ServerOptions(
    string Target, string Kind, int Edges, string Cpus, string Secret, IReadOnlyList<string> Urls, IReadOnlyList<string> Pids,
    IReadOnlyList<string> Settings, bool KeepData, StoreTopology Store)
{
    /// <summary>The single-process node (silo, store and edge in one process) rather than a silo and separate edges.</summary>
    public bool SingleProcess => Target.StartsWith("imactors-node", StringComparison.Ordinal) || Mqtt;

    /// <summary>The single-process node with its MQTT listener on, loaded over MQTT instead of its own protocol.</summary>
    public bool Mqtt => Target == "imactors-mqtt";

    /// <summary>The MQTT client the generator uses against the MQTT targets: <c>raw</c> (the tool's own) or <c>mqttnet</c>.</summary>
    public string MqttClient { get; init; } = "raw";

    /// <summary>The settings as command-line arguments of a .NET host.</summary>
    public IEnumerable<string> SettingArguments() =>
        Settings.SelectMany(s => new[] { "--" + s[..s.IndexOf('=')], s[(s.IndexOf('=') + 1)..] });
}
