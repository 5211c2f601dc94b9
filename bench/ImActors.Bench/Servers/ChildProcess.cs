using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImActors.Bench.Servers;

/// <summary>A server process the tool started: pinned with taskset, output to a log file, stopped with SIGTERM.</summary>
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

    public static ChildProcess Start(string role, string cpus, string workingDirectory, string log, IEnumerable<string> command)
    {
        var line = string.Join(' ', command.Select(Quote));
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
