namespace Arcp.Benchmarks.Cost;

/// <summary>
/// A run mixing every measured unit at once, to check the model's composition: paced <c>echo</c> jobs, one
/// <c>burst</c> job, sessions opened and closed, and idle sessions held open, over <see cref="Seconds"/> on one node.
/// <see cref="Measured"/> holds the run's totals (its unit is the whole run).
/// </summary>
internal sealed record MixedRun(int Jobs, long StreamedEvents, int SessionsOpened, int IdleSessions, double Seconds, WorkloadCost Measured);
