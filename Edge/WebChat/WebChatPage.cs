using System.Collections.Frozen;
using System.Reflection;

namespace ImActors.Edge.WebChat;

/// <summary>
/// Serves the web chat (decision 124): <c>/</c> and the files under <c>/web/</c>, embedded in the edge's assembly so that
/// an edge needs no content directory and no build step. The page is a client of the protocol over <c>/ws</c>, nothing more.
/// </summary>
public static class WebChatPage
{
    public const string Prefix = "/web";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["protocol.js"] = "text/javascript; charset=utf-8",
        ["msgpack.min.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["msgpack.LICENSE"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary();

    // Read once: the files are a few tens of KiB and never change while the process runs.
    private static readonly FrozenDictionary<string, byte[]> Files = ContentTypes.Keys.ToFrozenDictionary(name => name, Read);

    public static void MapWebChat(this WebApplication app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet(Prefix + "/{file}", (string file) => Serve(file));
    }

    private static IResult Serve(string file) =>
        Files.TryGetValue(file, out var bytes)
            ? Results.Bytes(bytes, ContentTypes[file])
            : Results.NotFound();

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("webchat/" + name)
            ?? throw new InvalidOperationException($"the web chat's {name} is not embedded in the edge");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
