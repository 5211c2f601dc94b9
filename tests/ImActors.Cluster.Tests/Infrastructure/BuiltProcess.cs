using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImActors.Cluster.Tests.Infrastructure;

/// <summary>
/// One of the built servers (e.g. <c>Silo/</c>'s dll) run as its own process with settings on its command line, its
/// output in a log file; killed with its children on dispose. For the few tests that need a process shape the
/// scripts do not start (a silo on its embedded store beside a separate edge).
/// </summary>
public sealed class BuiltProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BuiltProcess(Process process, string log) => (_process, Log) = (process, log);

    public string Log { get; }

    /// <param name="project">The project folder and assembly name, e.g. ("Silo", "ImActors.Silo").</param>
    public static BuiltProcess Start((string Folder, string Assembly) project, string workDir, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Repository.PathOf(project.Folder, "bin", ClusterScript.BuildConfiguration, "net10.0", project.Assembly + ".dll");
        var log = Path.Combine(workDir, project.Assembly + ".log");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workDir, UseShellExecute = false };
        // Through bash, so that the output goes to a file the test can show, not to pipes someone must drain.
        var args = string.Join(' ', settings.Select(s => $"--{s.Key} '{s.Value}'"));
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet '{dll}' --contentRoot '{Path.GetDirectoryName(dll)}' {args} >'{log}' 2>&1");
        return new BuiltProcess(Process.Start(start)!, log);
    }

    public string LogTail(int lines = 30) => File.Exists(Log) ? string.Join('\n', File.ReadLines(Log).TakeLast(lines)) : "(no log)";

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
