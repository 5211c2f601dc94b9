// The drills kill and restart whole clusters and nodes and then time how fast they serve again. Run side by side
// on two cores, one drill's restarts starved the other's freshly started cluster: its edges answered hellos with
// 503 for longer than the drill waits, in 3 of 5 CI runs. One drill at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
