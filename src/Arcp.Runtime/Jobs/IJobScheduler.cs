namespace Arcp.Runtime.Jobs;

/// <summary>
/// Starts and signals the durable execution of jobs (one orchestration instance per job, instance id = job id).
/// Adapters: Durable Task's <c>TaskHubClient</c> locally, <c>DurableTaskClient</c> in Azure Functions, and an
/// in-process scheduler for tests.
/// </summary>
public interface IJobScheduler
{
    /// <summary>Starts the job's execution; starting a job that already has an instance changes nothing.</summary>
    Task StartAsync(JobStartRequest request, CancellationToken cancellationToken);

    /// <summary>Tells the job's execution that a cancel was requested (the state row already says so).</summary>
    Task RaiseCancelAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Whether the job's execution exists and whether and how it ended.</summary>
    Task<JobInstanceStatus> GetInstanceStatusAsync(string jobId, CancellationToken cancellationToken);
}

/// <summary>The orchestration input: the job, its deadlines and the orchestration timing it runs with.</summary>
/// <param name="JobId">The job id, also the instance id.</param>
/// <param name="MaxRuntimeSec">The runtime cap, when set.</param>
/// <param name="ExpiresAt">The lease expiry, when set.</param>
/// <param name="Settings">
/// The orchestration timing, stamped by the scheduler at start; absent in inputs written before it existed, which run
/// with <see cref="Orchestration.JobOrchestrationSettings.Defaults"/>.
/// </param>
/// <param name="MayHoldCredentials">
/// Whether the job (or a child it delegates, which inherits its features) can hold provisioned credentials; when not,
/// the orchestration skips <c>RevokeCredentials</c>, one activity of the two every job would otherwise run. Absent in
/// inputs written before it existed, which revoke as before.
/// </param>
public sealed record JobStartRequest(string JobId, int? MaxRuntimeSec, DateTimeOffset? ExpiresAt, Orchestration.JobOrchestrationSettings? Settings = null, bool MayHoldCredentials = true)
{
    /// <summary>The start of an accepted job.</summary>
    public static JobStartRequest Of(JobDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new(definition.JobId, definition.MaxRuntimeSec, definition.ExpiresAt, MayHoldCredentials: definition.Features.Contains(Credentials.CredentialService.Feature, StringComparer.Ordinal));
    }
}

/// <summary>State of a job's execution instance.</summary>
public enum JobInstanceStatus
{
    /// <summary>No instance: the job was accepted but never started (the sweeper starts it).</summary>
    Missing,

    /// <summary>Running or waiting to run.</summary>
    Running,

    /// <summary>Ended normally: the orchestration ran to its end (the job's terminal was written or yielded to).</summary>
    Completed,

    /// <summary>Ended by a failure (an activity exhausted its retries): the job may be left without a terminal.</summary>
    Failed,

    /// <summary>Ended from outside (terminated or cancelled by an operator): the job may be left without a terminal.</summary>
    Terminated,
}
