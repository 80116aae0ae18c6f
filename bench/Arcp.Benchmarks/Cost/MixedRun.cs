namespace Arcp.Benchmarks.Cost;

/// <summary>
/// A run mixing every measured unit at once, to check the model's composition: paced <c>echo</c> jobs, one
/// <c>burst</c> job, sessions opened and closed, and idle sessions held open, over <see cref="Seconds"/> on one node.
/// <see cref="Measured"/> holds the run's totals (its unit is the whole run). <see cref="JobSeconds"/> is the
/// in-flight time the client saw, summed over the paced jobs (submit to result); <see cref="StreamSeconds"/> the
/// stream's, submit to its last frame.
/// </summary>
internal sealed record MixedRun(int Jobs, long StreamedEvents, int SessionsOpened, int IdleSessions, double Seconds, WorkloadCost Measured, double JobSeconds = 0, double StreamSeconds = 0);
