using System.Text.Json;
using System.Text.Json.Serialization;
using ImActors.Grains.Interfaces.Events;

namespace ImActors.Grains.Events;

/// <summary>The one JSON form of an event: in the outbox lists, in webhook bodies and in the dead letters.</summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(ImEvent e) => JsonSerializer.Serialize(e, Options);

    public static ImEvent Deserialize(string json) => JsonSerializer.Deserialize<ImEvent>(json, Options)
        ?? throw new JsonException("an event is null");
}
