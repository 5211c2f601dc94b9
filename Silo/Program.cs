using ImActors.Silo.Hosting;

await SiloHost.Build(args).RunAsync();
