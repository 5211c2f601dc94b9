using System.Globalization;
using ImActors.Bench.Cli;

namespace ImActors.Bench.Servers;

/// <summary>
/// The mosquitto broker as the MQTT peer (Debian's package <c>mosquitto</c>, 2.0): one process on a free loopback port,
/// with a configuration written for the run so that it measures what ImActors' MQTT listener does (decision 129).
/// </summary>
public static class MosquittoServer
{
    // Debian installs the broker in /usr/sbin, which is not on every user's PATH.
    private static readonly string[] Places = ["/usr/sbin", "/usr/local/sbin"];

    /// <summary>Writes the run's configuration into <paramref name="dataDir"/> and returns the command that starts the broker.</summary>
    public static string[] Command(string dataDir, int port)
    {
        var config = Path.Combine(dataDir, "mosquitto.conf");
        File.WriteAllLines(config,
        [
            "# One benchmark run's broker: loopback only, anonymous, nothing written to disk.",
            $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
            "allow_anonymous true",
            // Mosquitto's default; said here because it is half of what the comparison means: a PUBACK is not a commit.
            "persistence false",
            // Kestrel sets TCP_NODELAY on every connection; mosquitto leaves Nagle on unless told, which on loopback
            // holds small PUBLISHes back waiting for the peer's delayed ACK and would measure that, not the broker.
            "set_tcp_nodelay true",
            // ImActors lets a client leave up to 4096 pushes unacknowledged and drops none; mosquitto's defaults (20 in
            // flight, 1000 queued, then dropped) would make a slow step lose messages instead of showing its latency.
            "max_inflight_messages 4096",
            "max_queued_messages 0",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
        ]);
        return [Binary(), "-c", config];
    }

    private static string Binary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(Places)
            .Select(dir => Path.Combine(dir, "mosquitto"))
            .FirstOrDefault(File.Exists)
        ?? throw new BenchUsageException("mosquitto is not installed (Debian: apt-get install mosquitto)");
}
