using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImActors.Bench.Servers;

/// <summary>
/// A server process the tool started: pinned with taskset, output to a log file, stopped with SIGTERM. Every server,
/// ImActors or peer, gets the same runtime settings (<see cref="TieringEnvironment"/>).
/// </summary>
public sealed class ChildProcess
{
    private readonly Process _process;

    private ChildProcess(Process process, string role, string log)
    {
        _process = process;
        Role = role;
        Log = log;
    }

    public string Role { get; }

    public string Log { get; }

    /// <summary>The server's own pid: the shell execs taskset, which execs dotnet, so the pid carries through.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The .NET runtime compiles a method's optimised code only after a pause in which no new method was compiled, and in
    /// a process limited to one core it makes that pause ten times longer (1 s instead of 100 ms). A server pinned to one
    /// core that keeps meeting new code paths (a checkpoint, a timer, a new kind of frame) then runs part of its code
    /// unoptimised for minutes, and a 35 s warm-up measured that: the JIT took 20% of the node's core 50-60 s after start
    /// (decision 85). Without the pause, a server reaches its steady code within the warm-up, as on a machine of several
    /// cores. Ignored by the peers that are not .NET.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TieringEnvironment = new Dictionary<string, string>
    {
        ["DOTNET_TC_CallCountingDelayMs"] = "0",
    };

    public static ChildProcess Start(string role, string cpus, string workingDirectory, string log, IEnumerable<string> command)
    {
        var line = string.Join(' ', command.Select(Quote));
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (var (name, value) in TieringEnvironment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec taskset -c {cpus} {line} > {Quote(log)} 2>&1 < /dev/null");
        return new ChildProcess(Process.Start(info)!, role, log);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        // SIGTERM lets an edge close its sessions and a silo leave the cluster; SIGKILL only if it hangs.
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone (its ports and files are then free again).</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public string LogTail()
    {
        try
        {
            return string.Join(" | ", File.ReadLines(Log).TakeLast(3));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static readonly HashSet<int> s_givenPorts = [];

    /// <summary>
    /// A port for a server to bind, below the kernel's ephemeral range (32768 and up on Linux) as scripts/cluster.sh
    /// picks them: a port the kernel hands out for "any free port" is soon the source port of some outgoing connection,
    /// and the server then fails to start with "address in use". Never the same port twice in one run.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = 20_000 + Random.Shared.Next(12_000);
            lock (s_givenPorts)
            {
                if (!s_givenPorts.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port found in 20000-31999");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
