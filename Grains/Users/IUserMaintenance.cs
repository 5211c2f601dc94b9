using Orleans.Concurrency;

namespace ImActors.Grains.Users;

/// <summary>
/// The user grain's periodic housekeeping as a turn of its own, asked for by the grain itself (see
/// <see cref="UserGrain"/>); not part of <see cref="Interfaces.Users.IUserGrain"/> because nothing outside
/// the grain calls it.
/// </summary>
[Alias("imactors.IUserMaintenance")]
public interface IUserMaintenance : IGrainWithStringKey
{
    [OneWay, Alias("Maintain")]
    Task Maintain();
}
