using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImActors.Grains.Webhooks;

internal static class WebhookSetup
{
    /// <summary>The webhooks' services; their grain runs only when the event stream does (decision 110).</summary>
    public static ISiloBuilder AddWebhooks(this ISiloBuilder silo, IConfiguration? configuration)
    {
        var options = silo.Services.AddOptions<WebhookOptions>().ValidateOnStart();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(WebhookOptions.Section));
        }

        silo.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptions.Check>();
        silo.Services.AddSingleton<WebhookMetrics>();
        silo.Services.AddSingleton<DeadLetters>();
        silo.Services.AddSingleton<WebhookSender>();
        return silo;
    }
}
