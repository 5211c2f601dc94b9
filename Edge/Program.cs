using ImActors.Edge.Hosting;

await EdgeHost.Build(args).RunAsync();
