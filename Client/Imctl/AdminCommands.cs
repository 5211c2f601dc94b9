using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ImActors.Imctl;

/// <summary>
/// <c>imctl kick|ban|unban|revoke|notify</c>: the edge's admin HTTP API (docs/api.md), as an operator would call it from a shell. Each
/// prints the API's answer as one JSON line, or one error line and a non-zero exit.
/// </summary>
internal static class AdminCommands
{
    private static readonly Argument<string> User = new("user") { Description = "User id" };

    private static readonly Option<string?> ApiKey = new("--api-key") { Description = "An API key of the admin API (default: $IMACTORS_API_KEY)" };

    private static readonly Option<string> Api = new("--api")
    {
        Description = "The admin API's address",
        DefaultValueFactory = _ => "http://127.0.0.1:7480",
    };

    public static Command Kick()
    {
        var device = new Option<string?>("--device") { Description = "One device (default: every device of the user)" };
        var reason = new Option<string?>("--reason") { Description = "Shown to the devices (default: signed out by the service)" };
        return Admin("kick", "Close a user's connections (closing code 410); they may sign in again", [device, reason], (parse, user) =>
            (HttpMethod.Post, $"users/{user}/kick", new { device = parse.GetValue(device), reason = parse.GetValue(reason) }));
    }

    public static Command Ban()
    {
        var reason = new Option<string>("--reason") { Description = "Why: shown to the user's devices", Required = true };
        return Admin("ban", "Ban a user: close every session (448) and refuse every sign-in until unbanned", [reason], (parse, user) =>
            (HttpMethod.Put, $"users/{user}/ban", new { reason = parse.GetValue(reason) }));
    }

    public static Command Revoke()
    {
        var device = new Option<string?>("--device") { Description = "One device (default: every device of the user)" };
        return Admin("revoke", "Refuse the user's tokens issued before now and close their sessions (closing code 414)", [device], (parse, user) =>
            (HttpMethod.Post, $"users/{user}/revoke", new { device = parse.GetValue(device) }));
    }

    public static Command Unban() =>
        Admin("unban", "Lift a user's ban", [], (_, user) => (HttpMethod.Delete, $"users/{user}/ban", null));

    public static Command Notify()
    {
        var text = new Argument<string>("text") { Description = "Message text" };
        var cmid = new Option<string?>("--cmid") { Description = "Message id of the service (default: random); resending one returns its first answer" };
        return Admin("notify", "Send a 1:1 message as the system (from \"\"), to the user's inbox only", [text, cmid], (parse, _) =>
            (HttpMethod.Post, "messages", new
            {
                to = parse.GetValue(User),
                cmid = parse.GetValue(cmid) ?? "imctl-" + Guid.CreateVersion7().ToString("N"),
                text = parse.GetValue(text),
            }));
    }

    /// <summary>
    /// <c>imctl status</c>: <c>GET /api/v1/status</c> as one JSON line per silo, per edge, then the connections' total and
    /// the store, each with a <c>kind</c>; a part the edge could not read is an <c>error</c> line. Exits 2 when the store
    /// is down or a part could not be read, so a script can check the cluster without parsing.
    /// </summary>
    public static Command Status()
    {
        var command = new Command("status", "The cluster at a glance: silos, edges, connections and the store, one JSON line each") { ApiKey, Api };
        command.SetAction(async (parse, cancel) =>
        {
            using var status = JsonDocument.Parse(await CallAsync(parse, HttpMethod.Get, "status", null, cancel));
            var root = status.RootElement;
            foreach (var silo in root.GetProperty("silos").EnumerateArray())
            {
                Console.WriteLine(Line("silo", silo));
            }

            foreach (var edge in root.GetProperty("edges").EnumerateArray())
            {
                Console.WriteLine(Line("edge", edge));
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                kind = "connections", total = root.GetProperty("connections").GetInt32(), edges = root.GetProperty("edges").GetArrayLength(),
            }));
            var store = root.GetProperty("store");
            Console.WriteLine(Line("store", store));
            var errors = root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
            foreach (var error in errors)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { kind = "error", error }));
            }

            return store.GetProperty("status").GetString() == "up" && errors.Count == 0 ? 0 : 2;
        });
        return command;
    }

    /// <summary>The API's object with <c>kind</c> first, on one line.</summary>
    private static string Line(string kind, JsonElement item)
    {
        var line = new Dictionary<string, JsonElement> { ["kind"] = JsonSerializer.SerializeToElement(kind) };
        foreach (var property in item.EnumerateObject())
        {
            line[property.Name] = property.Value;
        }

        return JsonSerializer.Serialize(line);
    }

    private static Command Admin(string name, string description, Symbol[] symbols, Func<ParseResult, string, (HttpMethod, string, object?)> request)
    {
        var command = new Command(name, description) { User, ApiKey, Api };
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument)
            {
                command.Arguments.Add(argument);
            }
            else if (symbol is Option option)
            {
                command.Options.Add(option);
            }
        }

        command.SetAction(async (parse, cancel) =>
        {
            var (method, path, body) = request(parse, Uri.EscapeDataString(parse.GetValue(User)!));
            Console.WriteLine(await CallAsync(parse, method, path, body, cancel));
            return 0;
        });
        return command;
    }

    private static async Task<string> CallAsync(ParseResult parse, HttpMethod method, string path, object? body, CancellationToken cancel)
    {
        var key = parse.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("IMACTORS_API_KEY")
                  ?? throw new AdminApiException("give an API key: --api-key KEY or $IMACTORS_API_KEY");
        var address = parse.GetValue(Api)!;
        if (!Uri.TryCreate(address.TrimEnd('/') + "/api/v1/", UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            throw new AdminApiException($"'{address}' is not http://host:port");
        }

        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new AdminApiException($"{(int)response.StatusCode} {Describe(text)}");
        }

        // 204 (a kick) has no body: say what was done, so that every command prints one line.
        return text.Length > 0 ? text : JsonSerializer.Serialize(new { done = parse.CommandResult.Command.Name, user = parse.GetValue(User) });
    }

    /// <summary>The API's error body in one line: "name: message (field)".</summary>
    private static string Describe(string body)
    {
        try
        {
            var error = JsonDocument.Parse(body).RootElement;
            var field = error.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? $" ({f.GetString()})" : "";
            return $"{error.GetProperty("error").GetString()}: {error.GetProperty("message").GetString()}{field}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body.ReplaceLineEndings(" ");
        }
    }
}

/// <summary>The admin API refused a call, or could not be called: one line for the user.</summary>
internal sealed class AdminApiException(string message) : Exception(message);
