using ImActors.Grains.Interfaces;
using ImActors.Grains.Interfaces.Messages;
using ImActors.Grains.Interfaces.Presence;
using ImActors.Grains.Interfaces.Rules;
using Orleans.Concurrency;

namespace ImActors.Grains.Presence;

/// <summary>
/// Presence of many users: each user's grain asked at once. A user's grain is the one place that knows whether the user
/// is in the offline grace and which sessions are dead, so the store's session hashes are not read behind it; an
/// offline user's grain activated for the answer costs one store step and is collected when idle.
/// </summary>
[StatelessWorker]
internal sealed class PresenceDirectoryGrain(GrainRefs grains) : Grain, IPresenceDirectory
{
    public async Task<UserPresence[]> GetPresence(string[] users)
    {
        if (users is null || users.Length > IPresenceDirectory.MaxUsers)
        {
            throw new RefusedException(Refusal.InvalidRequest, $"name 0-{IPresenceDirectory.MaxUsers} users");
        }

        foreach (var user in users)
        {
            Ids.Require(user, "each user");
        }

        return await Task.WhenAll(users.Select(u => grains.Get<IUserPresence>(u).GetPresence()));
    }
}
