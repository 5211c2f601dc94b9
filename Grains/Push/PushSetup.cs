using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Push;

internal static class PushSetup
{
    /// <summary>The offline push's services; its grain runs only when the event stream does (decision 111).</summary>
    public static ISiloBuilder AddOfflinePush(this ISiloBuilder silo, IConfiguration? configuration)
    {
        var options = silo.Services.AddOptions<PushOptions>().ValidateOnStart();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(PushOptions.Section));
        }

        silo.Services.AddSingleton<IValidateOptions<PushOptions>, PushOptions.Check>();
        silo.Services.AddSingleton<OfflinePush>();
        return silo;
    }
}
