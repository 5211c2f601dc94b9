using System.Reflection;
using ImActors.Protocol.Frames;
using MessagePack;

namespace ImActors.Fuzz.Inputs;

/// <summary>
/// The shape of every frame body, read from the protocol's own contracts (their <c>[Key]</c> properties), so the fuzzer
/// writes the fields a decoder knows with the types it expects and keeps up as frames gain fields.
/// </summary>
public static class FrameSchema
{
    public sealed record Field(string Key, Type Type);

    /// <summary>Every frame kind with a body type, by kind number.</summary>
    public static IReadOnlyDictionary<int, Type> Bodies { get; } = Enum.GetValues<FrameKind>()
        .Select(k => (Kind: (int)k, Type: typeof(FrameKind).Assembly.GetType($"{typeof(FrameKind).Namespace}.{k}Frame")))
        .Where(k => k.Type is not null)
        .ToDictionary(k => k.Kind, k => k.Type!);

    private static readonly Dictionary<Type, Field[]> Cache = [];

    /// <summary>The keyed fields of a <c>[MessagePackObject]</c> type (a frame body or an item nested in one).</summary>
    public static Field[] FieldsOf(Type type)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(type, out var fields))
            {
                fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(p => (p, Key: p.GetCustomAttribute<KeyAttribute>()?.StringKey))
                    .Where(p => p.Key is not null)
                    .Select(p => new Field(p.Key!, p.p.PropertyType))
                    .ToArray();
                Cache[type] = fields;
            }

            return fields;
        }
    }

    public static bool IsObject(Type type) => type.GetCustomAttribute<MessagePackObjectAttribute>() is not null;
}
