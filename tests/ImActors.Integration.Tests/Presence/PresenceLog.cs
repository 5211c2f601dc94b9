using System.Threading.Channels;
using ImActors.Client;

namespace ImActors.Integration.Tests.Presence;

/// <summary>Every presence change a client hears, in order, for a test to wait on.</summary>
internal sealed class PresenceLog
{
    private readonly Channel<PresenceInfo> _changes = Channel.CreateUnbounded<PresenceInfo>();

    public PresenceLog(ImClient client) => client.PresenceChanged += p => _changes.Writer.TryWrite(p);

    /// <summary>The next change of <paramref name="user"/> that <paramref name="match"/> accepts; the changes passed on the way are returned too.</summary>
    public async Task<(PresenceInfo Match, List<PresenceInfo> Before)> NextAsync(string user, Func<PresenceInfo, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var before = new List<PresenceInfo>();
        try
        {
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(cancel.Token);
                if (change.User != user)
                {
                    continue;
                }

                if (match(change))
                {
                    return (change, before);
                }

                before.Add(change);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no matching change of {user}; heard [{string.Join(", ", before.Select(Describe))}]");
            throw;
        }
    }

    /// <summary>The changes heard within <paramref name="wait"/>.</summary>
    public async Task<List<PresenceInfo>> DuringAsync(TimeSpan wait)
    {
        var heard = new List<PresenceInfo>();
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                heard.Add(await _changes.Reader.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return heard;
        }
    }

    public static string Describe(PresenceInfo p) => $"{p.User}:{(p.Online ? "online" : "offline")}[{string.Join(",", p.Devices.Select(d => d.Device))}]";
}
