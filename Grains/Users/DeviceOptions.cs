using Microsoft.Extensions.Options;

namespace ImActors.Grains.Users;

/// <summary>
/// How many devices a user may have signed in at once, in total and per class of platform (the hello's
/// <c>platform</c>). Bound from the "Devices" section; use the same values on every silo. Decision 97.
/// </summary>
public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>Devices of one user signed in at once, whatever their platform.</summary>
    public int MaxPerUser { get; set; } = 10;

    /// <summary>
    /// Classes of platforms, each with its own limit. Null: <see cref="DefaultClasses"/>. Configured classes replace
    /// the defaults as a whole, so that a deployment never carries a default class it did not ask for.
    /// </summary>
    public Dictionary<string, DeviceClass>? Classes { get; set; }

    /// <summary>One phone, one desktop, several browser tabs: the phone and the desktop app hold the device's own
    /// state (keys, drafts, notification tokens) and a second one of each is most often a shared account.</summary>
    public static IReadOnlyDictionary<string, DeviceClass> DefaultClasses { get; } = new Dictionary<string, DeviceClass>
    {
        ["mobile"] = new() { Platforms = ["ios", "android"], Max = 1 },
        ["desktop"] = new() { Platforms = ["windows", "macos", "linux"], Max = 1 },
        ["web"] = new() { Platforms = ["web"], Max = 5 },
    };

    public IReadOnlyDictionary<string, DeviceClass> ResolveClasses() => Classes ?? DefaultClasses;

    /// <summary>Refuses unusable settings at start, with <see cref="Validate(DeviceOptions)"/>'s words.</summary>
    public sealed class Check : IValidateOptions<DeviceOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeviceOptions options) =>
            DeviceOptions.Validate(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>What is wrong with the settings, naming the key; null when they can be used.</summary>
    public static string? Validate(DeviceOptions options)
    {
        if (options.MaxPerUser < 1)
        {
            return $"{Section}:MaxPerUser must be 1 or more (it is {options.MaxPerUser})";
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, deviceClass) in options.ResolveClasses())
        {
            if (deviceClass.Max < 1)
            {
                return $"{Section}:Classes:{name}:Max must be 1 or more (it is {deviceClass.Max})";
            }

            foreach (var platform in deviceClass.Platforms)
            {
                if (!seen.TryAdd(platform, name))
                {
                    return $"platform '{platform}' is in two device classes, {seen[platform]} and {name}";
                }
            }
        }

        return null;
    }
}

/// <summary>Platforms that count as one kind of device, and how many of that kind a user may have signed in.</summary>
public sealed class DeviceClass
{
    /// <summary>Values of the hello's <c>platform</c> in this class, compared without regard to case.</summary>
    public string[] Platforms { get; set; } = [];

    public int Max { get; set; } = 1;
}
