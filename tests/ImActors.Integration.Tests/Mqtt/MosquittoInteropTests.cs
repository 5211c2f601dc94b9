using System.Diagnostics;
using System.Text;
using ImActors.Integration.Tests.Infrastructure;

namespace ImActors.Integration.Tests.Mqtt;

/// <summary>Debian's mosquitto_pub and mosquitto_sub, run as processes, against the edge's MQTT listener.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Tier", "Slow")]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class MosquittoInteropTests(ClusterFixture cluster) : IAsyncLifetime
{
    private MqttEdge _edge = null!;

    public async Task InitializeAsync() => _edge = await MqttEdge.StartAsync(cluster);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task MosquittoPub_SendsDurably_AndMosquittoSub_ReceivesTheReply()
    {
        var (ann, bob) = (Clients.NewUser("ann"), Clients.NewUser("bob"));
        await using var bobNative = await Clients.ConnectAsync(cluster.Edge.Tcp, bob);

        // QoS 1: mosquitto_pub exits 0 only after the PUBACK, which the edge sends after the store's commit.
        var pub = await RunAsync("mosquitto_pub", Common(ann, "pub-1") + $" -q 1 -t im/send/u/{bob} -m \"from mosquitto\"");
        Assert.True(pub.ExitCode == 0, pub.Output);
        Assert.Equal(("from mosquitto", ann), ((await bobNative.ReceiveAsync(1))[0].Text, ann));

        // Line-buffered (coreutils' stdbuf): its debug line for the SUBACK says when to send.
        using var sub = Start("stdbuf", "-oL mosquitto_sub " + Common(ann, "sub-1") + $" -d -q 1 -C 1 -W 30 -t im/u/{ann}");
        await Eventually.TrueAsync(() => sub.Output.Contains("SUBACK"));
        await bobNative.SendTextAsync(ann, "reply from native");

        await sub.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, sub.Process.ExitCode);
        var line = sub.Output.Split('\n').Single(l => l.StartsWith('{'));
        var push = MqttPush.Parse(Encoding.UTF8.GetBytes(line));
        Assert.Equal(("reply from native", bob), (push.Body, push.From));
    }

    [Fact]
    public async Task MosquittoPub_ToATopicThatIsNoSendTopic_IsClosedAndFails()
    {
        var ann = Clients.NewUser("ann");

        var pub = await RunAsync("mosquitto_pub", Common(ann, "pub-1") + " -q 1 -t weather/today -m sunny");

        Assert.NotEqual(0, pub.ExitCode);
    }

    private string Common(string user, string clientId) => $"-h 127.0.0.1 -p {_edge.MqttPort} -V mqttv311 -i {clientId} -u {user} -P {Clients.Token(user)}";

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments)
    {
        using var run = Start(file, arguments);
        await run.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (run.Process.ExitCode, run.Output);
    }

    private static Running Start(string file, string arguments)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
        };
        var running = new Running(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    private sealed class Running(Process process) : IDisposable
    {
        private readonly StringBuilder _output = new();

        public Process Process { get; } = process;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
        }
    }
}
