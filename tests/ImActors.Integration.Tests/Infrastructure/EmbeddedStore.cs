using ImActors.Silo.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImActors.Integration.Tests.Infrastructure;

/// <summary>The silo's embedded Garnet, started exactly as the silo starts it, on a free port and a temp directory.</summary>
public sealed class EmbeddedStore : IAsyncDisposable
{
    private readonly StoreSettings _settings;
    private EmbeddedGarnet? _garnet;

    public EmbeddedStore(string? dataDir = null)
    {
        _settings = new StoreSettings
        {
            EmbeddedPort = FreePorts.Next(),
            DataDir = dataDir ?? Directory.CreateTempSubdirectory("imactors-garnet-").FullName,
        };
    }

    public string DataDir => _settings.DataDir;

    public string ConnectionString => _settings.ConnectionString;

    public async Task StartAsync()
    {
        _garnet = new EmbeddedGarnet(Options.Create(_settings), NullLoggerFactory.Instance, NullLogger<EmbeddedGarnet>.Instance);
        await _garnet.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_garnet is not null)
        {
            await _garnet.StopAsync(CancellationToken.None);
            _garnet = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
