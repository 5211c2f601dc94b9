using ImActors.Edge.Hosting;
using ImActors.Silo;

// The edge's grain calls and the grains' pushes to the edge stay in this process: no socket between them.
await EdgeHost.Build(args, hostCluster: builder => builder.AddImActorsSilo()).RunAsync();
