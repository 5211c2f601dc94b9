using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>
/// A real HTTP server (Kestrel on a free loopback port) that webhooks post to. It keeps every request, and answers 500
/// to the events of users a test told it to refuse: for some attempts, or always.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _refusalsLeft = new();

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}/hook";
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string EventId, string Type, string? User, string? Group, JsonElement Event, byte[] Body,
        IReadOnlyDictionary<string, string> Headers, int Status);

    /// <summary>Answers 500 to the next <paramref name="times"/> requests about <paramref name="user"/> (int.MaxValue: always).</summary>
    public void Refuse(string user, int times) => _refusalsLeft[user] = times;

    /// <summary>The requests about a user or group answered 2xx, one per event id (the stream delivers at least once).</summary>
    public List<Received> TakenAbout(string entity) =>
        Requests.Where(r => r.Status == 200 && (r.User == entity || r.Group == entity)).DistinctBy(r => r.EventId).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hook", receiver.TakeAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> TakeAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var json = JsonDocument.Parse(body).RootElement.Clone();
        string? Field(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var (user, group) = (Field("user"), Field("group"));
        var left = user is null ? 0 : _refusalsLeft.GetValueOrDefault(user);
        var refused = left > 0;
        if (refused)
        {
            _refusalsLeft[user!] = left == int.MaxValue ? left : left - 1;
        }

        var status = refused ? 500 : 200;
        Requests.Enqueue(new Received(Field("id")!, Field("type")!, user, group, json, body,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
