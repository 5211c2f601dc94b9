using System.CommandLine;
using ImActors.Client;
using ImActors.Protocol;

namespace ImActors.Imctl;

/// <summary>Options every connecting command shares, and how they become an <see cref="ImClient"/>.</summary>
internal static class CommonOptions
{
    public static readonly Option<string> As = new("--as") { Description = "The user to act as (a token is minted for it)", Required = true };

    public static readonly Option<string[]> Server = new("--server")
    {
        Description = "Edge address(es): tcp://host:port, tls://host:port, ws://host:port/ws or wss://host:port/ws; repeat to give fallbacks",
        DefaultValueFactory = _ => [$"tcp://127.0.0.1:{ProtocolDefaults.TcpPort}"],
        AllowMultipleArgumentsPerToken = true,
    };

    public static readonly Option<string?> Directory = new("--directory")
    {
        Description = "An edge's HTTP address (http://host:7401): pick the edge from its GET /edges by load, --server as the fallback",
    };

    public static readonly Option<string?> TrustCert = new("--trust-cert")
    {
        Description = "A PEM or DER certificate file to trust for tls:// and wss:// edges (a self-signed edge certificate or a private CA)",
    };

    public static readonly Option<string?> Device = new("--device") { Description = "Device id (default: imctl-<random>)" };

    public static readonly Option<string?> Token = new("--token") { Description = "Use this token instead of minting one" };

    public static readonly Option<string?> Secret = new("--secret")
    {
        Description = "HMAC secret to mint tokens with (default: $IMACTORS_SECRET, else the development secret)",
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(As);
        command.Options.Add(Server);
        command.Options.Add(Directory);
        command.Options.Add(TrustCert);
        command.Options.Add(Device);
        command.Options.Add(Token);
        command.Options.Add(Secret);
    }

    public static string ResolveSecret(ParseResult parse) =>
        parse.GetValue(Secret) ?? Environment.GetEnvironmentVariable("IMACTORS_SECRET") ?? ProtocolDefaults.DevelopmentTokenSecret;

    public static ImClientOptions ClientOptions(ParseResult parse, long? resumeAfter = null)
    {
        var user = parse.GetValue(As)!;
        var token = parse.GetValue(Token) ?? TokenIssuer.Issue(user, ResolveSecret(parse), TimeSpan.FromHours(12));
        var servers = parse.GetValue(Server)!.Select(ParseServer).ToList();
        return new ImClientOptions
        {
            Servers = servers,
            EdgeDirectory = parse.GetValue(Directory) is { } directory ? ParseDirectory(directory) : null,
            PreferWebSocket = servers.All(s => s.Scheme is "ws" or "wss"),
            TokenProvider = _ => ValueTask.FromResult(token),
            Device = parse.GetValue(Device) ?? "imctl-" + Guid.NewGuid().ToString("N")[..8],
            Platform = "imctl",
            ResumeAfterSeq = resumeAfter,
            TrustedCertificatesPath = parse.GetValue(TrustCert),
        };
    }

    private static Uri ParseDirectory(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ImClientException(ErrorCodes.InvalidRequest, $"'{text}' is not http://host:port (an edge's HTTP address)");

    private static Uri ParseServer(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "tcp" or "tls" or "ws" or "wss"
            ? uri
            : throw new ImClientException(ErrorCodes.InvalidRequest, $"'{text}' is not tcp://host:port, tls://host:port, ws://host:port/path or wss://host:port/path");
}
