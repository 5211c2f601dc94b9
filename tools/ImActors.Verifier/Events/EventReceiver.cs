using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImActors.Verifier.Events;

/// <summary>
/// The receiving end of the cluster's webhooks (decision 110) during a run: Kestrel on the address given with
/// <c>--audit-events</c>, which the silos name in <c>Webhooks:Urls</c>. It checks each request's signature as a real
/// receiver must (HMAC-SHA256 over <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>), answers 200 and hands the event to
/// <see cref="ReceivedEvents"/>; a request it cannot trust gets 401, which the webhook retries and then dead-letters,
/// so the audit sees that event as missing.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private const string SignatureHeader = "X-ImActors-Signature";
    private const string TimestampHeader = "X-ImActors-Timestamp";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly byte[]? _secret;

    private EventReceiver(WebApplication app, string? secret)
    {
        _app = app;
        _secret = secret is { Length: > 0 } ? Encoding.UTF8.GetBytes(secret) : null;
    }

    public ReceivedEvents Events { get; } = new();

    /// <param name="address">Where to listen and which path takes the events, e.g. http://127.0.0.1:7480/events.</param>
    /// <param name="secret">The silos' <c>Webhooks:Secret</c>; null takes every request unchecked.</param>
    public static async Task<EventReceiver> StartAsync(Uri address, string? secret, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.GetLeftPart(UriPartial.Authority));
        // Stdout carries the summary alone; Kestrel's own lines would mix into it.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new EventReceiver(app, secret);
        app.MapPost(address.AbsolutePath, receiver.TakeAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new VerifierException($"cannot listen for events on {address}: {e.Message}");
        }

        return receiver;
    }

    private async Task<IResult> TakeAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Signed(request, body))
        {
            Events.Refuse();
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        StreamEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<StreamEvent>(body, Json);
        }
        catch (JsonException)
        {
            e = null;
        }

        if (e is not { Id.Length: > 0, Type.Length: > 0 })
        {
            Events.Refuse();
            return Results.BadRequest();
        }

        Events.Take(e);
        return Results.Ok();
    }

    private bool Signed(HttpRequest request, byte[] body)
    {
        if (_secret is null)
        {
            return true;
        }

        var timestamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
