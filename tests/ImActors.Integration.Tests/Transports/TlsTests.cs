using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ImActors.Client;
using ImActors.Integration.Tests.Infrastructure;
using ImActors.Protocol;
using ImActors.Protocol.Frames;

namespace ImActors.Integration.Tests.Transports;

/// <summary>
/// TLS at the edge: an edge of its own serving a certificate made in the test, reached through the SDK over
/// <c>tls://</c> and <c>wss://</c> with real sockets and real handshakes.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(StoreSwitch.Trait, StoreSwitch.Once)]
public sealed class TlsTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly TestCertificates _files = new();
    private readonly int _tlsTcpPort = FreePorts.Next();
    private readonly int _tlsHttpPort = FreePorts.Next();
    private readonly X509Certificate2 _authority = TestCertificates.NewAuthority("ImActors test CA");
    private string _pfxPath = "";
    private EdgeProcess _edge = null!;

    private Uri Tls => new($"tls://127.0.0.1:{_tlsTcpPort}");

    private Uri Wss => new($"wss://127.0.0.1:{_tlsHttpPort}{ProtocolDefaults.WebSocketPath}");

    public async Task InitializeAsync()
    {
        _pfxPath = Path.Combine(_files.Folder, "edge.pfx");
        TestCertificates.WritePfx(TestCertificates.NewEdgeCertificate("edge one", _authority), _pfxPath, "pfx-password");
        _edge = await cluster.StartEdgeAsync("edge-tls", new Dictionary<string, string?>
        {
            ["Tls:CertificatePath"] = _pfxPath,
            ["Tls:Password"] = "pfx-password",
            ["Tls:TcpPort"] = _tlsTcpPort.ToString(),
            ["Tls:HttpPort"] = _tlsHttpPort.ToString(),
            ["Tls:ReloadInterval"] = "00:00:00.200",
        });
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        _files.Dispose();
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task Hello_Send_Receive_OverTls(string transport)
    {
        var server = transport == "tls" ? Tls : Wss;
        var trusted = _files.WritePublic(_authority, "ca");
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        await using var bobClient = await ConnectAsync(server, bob, trusted);
        await using var aliceClient = await ConnectAsync(server, alice, trusted);

        var ack = await aliceClient.SendTextAsync(bob, "over tls");

        var received = Assert.Single(await bobClient.ReceiveAsync(1));
        Assert.Equal(("over tls", alice, ack.MessageId), (received.Text, received.From, received.Id));
    }

    [Fact]
    public async Task PemCertificateAndKey_AreServed()
    {
        var port = FreePorts.Next();
        var (certificate, key) = _files.WritePem(TestCertificates.NewEdgeCertificate("pem edge", _authority), "pem-edge");
        await using var edge = await cluster.StartEdgeAsync("edge-tls-pem", new Dictionary<string, string?>
        {
            ["Tls:CertificatePath"] = certificate, ["Tls:KeyPath"] = key, ["Tls:TcpPort"] = port.ToString(), ["Tls:HttpPort"] = "0",
        });

        await using var raw = await RawConnection.OpenAsync(new Uri($"tls://127.0.0.1:{port}"), [X509CertificateLoader.LoadCertificate(_authority.RawData)]);
        await raw.HelloAsync(Clients.NewUser("pem"));
    }

    [Fact]
    public async Task SelfSignedCertificate_IsTrustedThroughItsOwnFile()
    {
        var selfSigned = TestCertificates.NewEdgeCertificate("self-signed edge");
        TestCertificates.WritePfx(selfSigned, _pfxPath, "pfx-password");
        await Eventually.TrueAsync(async () => (await PresentedCertificateAsync()).Thumbprint == selfSigned.Thumbprint);

        await using var raw = await RawConnection.OpenAsync(Tls, [X509CertificateLoader.LoadCertificate(selfSigned.RawData)]);
        await raw.HelloAsync(Clients.NewUser("self"));
    }

    [Fact]
    public async Task ReplacedCertificate_ServesNewConnections_WhileOpenOnesKeepWorking()
    {
        var trusted = _files.WritePublic(_authority, "ca");
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));
        var first = (await PresentedCertificateAsync()).Thumbprint;
        await using var bobClient = await ConnectAsync(Tls, bob, trusted);
        var bobDisconnected = false;
        bobClient.ConnectionChanged += e => bobDisconnected |= !e.Connected;

        var renewed = TestCertificates.NewEdgeCertificate("edge two", _authority);
        TestCertificates.WritePfx(renewed, _pfxPath, "pfx-password");
        await Eventually.TrueAsync(async () => (await PresentedCertificateAsync()).Thumbprint == renewed.Thumbprint);

        Assert.NotEqual(first, renewed.Thumbprint);
        await using var aliceClient = await ConnectAsync(Tls, alice, trusted);
        await aliceClient.SendTextAsync(bob, "after the renewal");
        Assert.Equal("after the renewal", Assert.Single(await bobClient.ReceiveAsync(1)).Text);
        Assert.False(bobDisconnected, "the connection opened before the renewal was dropped");
    }

    [Fact]
    public async Task UnreadableReplacement_KeepsServingTheCurrentCertificate()
    {
        var current = (await PresentedCertificateAsync()).Thumbprint;

        File.WriteAllText(_pfxPath + ".next", "not a certificate");
        File.Move(_pfxPath + ".next", _pfxPath, overwrite: true);
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        Assert.Equal(current, (await PresentedCertificateAsync()).Thumbprint);
        await using var raw = await RawConnection.OpenAsync(Tls, [X509CertificateLoader.LoadCertificate(_authority.RawData)]);
        await raw.HelloAsync(Clients.NewUser("still"));
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("wss")]
    public async Task ClientThatDoesNotTrustTheCertificate_GetsAClearError(string transport)
    {
        await using var client = Unconnected(transport == "tls" ? Tls : Wss, trustedPath: null);

        var refused = await Assert.ThrowsAsync<ImClientException>(() => client.ConnectAsync());

        Assert.Contains("certificate (CN=edge one) is not trusted", refused.Message);
        Assert.Contains("its chain does not end at a trusted root (PartialChain)", refused.Message);
        Assert.Contains("TrustedCertificatesPath", refused.Message);
    }

    [Fact]
    public async Task CertificateForAnotherHost_IsRefusedEvenWhenItsIssuerIsTrusted()
    {
        var elsewhere = TestCertificates.NewEdgeCertificate("edge elsewhere", _authority, otherHost: "edge.example.org");
        TestCertificates.WritePfx(elsewhere, _pfxPath, "pfx-password");
        await Eventually.TrueAsync(async () => (await PresentedCertificateAsync()).Thumbprint == elsewhere.Thumbprint);
        await using var client = Unconnected(Tls, _files.WritePublic(_authority, "ca"));

        var refused = await Assert.ThrowsAsync<ImClientException>(() => client.ConnectAsync());

        Assert.Contains("certificate (CN=edge elsewhere) is not trusted: it does not name the host connected to", refused.Message);
    }

    [Fact]
    public async Task Imctl_SendsOverTls_WhenToldToTrustTheCertificateFile()
    {
        var (alice, bob) = (Clients.NewUser("alice"), Clients.NewUser("bob"));

        var trusting = await Imctl.RunAsync("send", bob, "over tls", "--as", alice, "--server", Tls.ToString(), "--trust-cert", _files.WritePublic(_authority, "ca"));
        var wary = await Imctl.RunAsync("send", bob, "over tls", "--as", alice, "--server", Wss.ToString());

        Assert.True(trusting.ExitCode == 0, trusting.Stderr);
        Assert.Contains("\"seq\":1", trusting.Stdout);
        Assert.Equal(1, wary.ExitCode);
        Assert.Contains("certificate (CN=edge one) is not trusted", wary.Stderr);
    }

    [Fact]
    public async Task TlsRequired_ClosesThePlainTcpListener_AndRefusesPlainWebSockets_ButNotHealthProbes()
    {
        await using var edge = await cluster.StartEdgeAsync("edge-tls-only", new Dictionary<string, string?>
        {
            ["Tls:CertificatePath"] = _pfxPath, ["Tls:Password"] = "pfx-password", ["Tls:Required"] = "true",
            ["Tls:TcpPort"] = FreePorts.Next().ToString(), ["Tls:HttpPort"] = FreePorts.Next().ToString(),
        });
        using var plainWebSocket = new System.Net.WebSockets.ClientWebSocket();
        plainWebSocket.Options.CollectHttpResponseDetails = true;
        using var http = new HttpClient();
        using var plainTcp = new TcpClient();

        await Assert.ThrowsAsync<SocketException>(() => plainTcp.ConnectAsync("127.0.0.1", edge.TcpPort));
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => plainWebSocket.ConnectAsync(edge.WebSocket, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, plainWebSocket.HttpStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{edge.HttpPort}/health/live")).StatusCode);
    }

    private static async Task<ImClient> ConnectAsync(Uri server, string user, string trustedPath)
    {
        var client = Unconnected(server, trustedPath, user, TimeSpan.FromSeconds(10));
        await client.ConnectAsync();
        return client;
    }

    /// <summary>A client not connected yet; by default it gives up connecting after 2 s, which is all a refusal needs.</summary>
    private static ImClient Unconnected(Uri server, string? trustedPath, string? user = null, TimeSpan? connectTimeout = null) => new(new ImClientOptions
    {
        Servers = [server],
        TokenProvider = _ => ValueTask.FromResult(Clients.Token(user ?? Clients.NewUser("wary"))),
        TrustedCertificatesPath = trustedPath,
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(2),
        AckTimeout = TimeSpan.FromSeconds(3),
    });

    /// <summary>The certificate the TLS TCP listener presents to a new connection (read here, not judged: the test compares it).</summary>
    private async Task<X509Certificate2> PresentedCertificateAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _tlsTcpPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }
}
